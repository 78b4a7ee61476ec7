#pragma once
// cpu/cpu_scaling's work: three CPU-bound kernels, each cut into `units` equal units, and the
// one function every model calls to do its share. Nothing here knows about concurrency.
//
//   Kernel          fib, hash, mandelbrot
//   Work            how many units, and how big each one is
//   run_part        part p of W: the units that part owns, folded into one checksum
//   combine         how part checksums add up (a wrapping sum: any order, any split)
//   hash_buffers    the fixed, read-only buffer set the hash kernel reads
//
// A part owns units/W units (the workload only asks for W that divide `units`), so the W parts
// of a run are equal and together do exactly the sequential run's work. The checksum of a
// run is therefore the same for every W and every model. run_part is [[gnu::noinline]]: there
// is one copy of its machine code in the binary, and every model runs that same copy.
//
// The compiler may neither drop nor hoist the work: every unit's value feeds the checksum the
// model returns, and fib's argument passes through an empty asm statement (opaque()), so that
// `units` calls of fib(n) with one n cannot be computed once and multiplied.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace workloads::cpu::cpu_scaling::kernels {

enum class Kernel : std::uint8_t { fib, hash, mandelbrot };

constexpr std::string_view kernel_name(Kernel kernel) {
  switch (kernel) {
    case Kernel::fib:
      return "fib";
    case Kernel::hash:
      return "hash";
    case Kernel::mandelbrot:
      return "mandelbrot";
  }
  return "?";
}

// How much work one run is. A unit is: fib: one call of fib(fib_n); hash: one buffer of the set
// hashed hash_rounds times over; mandelbrot: one image row of mandel_width pixels.
struct Work {
  std::int64_t units = 0;  // a multiple of every W run (256 covers 1, 2, 4, ..., 256)
  std::uint32_t fib_n = 0;
  std::int64_t hash_rounds = 0;
  std::int64_t mandel_width = 0;
  std::int64_t mandel_max_iterations = 0;
};

// The checksum of a set of units: a sum modulo 2^64, so parts combine in any order.
constexpr std::uint64_t combine(std::uint64_t a, std::uint64_t b) { return a + b; }

// --- fib: recursive Fibonacci, a function call per node (about 2 fib(n+1) calls) ---

constexpr std::uint64_t fib(std::uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static_assert(fib(0) == 0 && fib(1) == 1 && fib(20) == 6765);

// The value back, unknown to the optimiser: each use of it is a fresh computation.
inline std::uint32_t opaque(std::uint32_t value) {
  __asm__ volatile("" : "+r"(value));
  return value;
}

// --- hash: 64-bit FNV-1a, one byte at a time (a multiply's latency per byte) ---

inline constexpr std::uint64_t fnv1a_offset_basis = 0xcbf29ce484222325;
inline constexpr std::uint64_t fnv1a_prime = 0x100000001b3;

constexpr std::uint64_t fnv1a(std::span<const unsigned char> bytes, std::uint64_t hash) {
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= fnv1a_prime;
  }
  return hash;
}

// Known answers from the FNV reference test vectors.
static_assert(fnv1a(std::span<const unsigned char>{}, fnv1a_offset_basis) == 0xcbf29ce484222325);
static_assert(fnv1a(std::array<unsigned char, 1>{'a'}, fnv1a_offset_basis) == 0xaf63dc4c8601ec8c);
static_assert(fnv1a(std::array<unsigned char, 6>{'f', 'o', 'o', 'b', 'a', 'r'},
                    fnv1a_offset_basis) == 0x85944171f73967e8);

// 256 buffers of 4 KiB (1 MiB): a unit hashes buffer (unit % 256). Built on first use and
// read-only afterwards; the 256 buffers stay in the second-level caches, so hashing is
// bound by the multiply, not by memory.
inline constexpr std::size_t hash_buffer_count = 256;
inline constexpr std::size_t hash_buffer_bytes = 4096;

// Calling it once before starting threads or forking makes sure it is built: the first call
// builds it (about 0.3 ms), later ones only read.
inline const std::vector<unsigned char>& hash_buffers() {
  static const std::vector<unsigned char> buffers = [] {
    std::vector<unsigned char> bytes(hash_buffer_count * hash_buffer_bytes);
    std::uint64_t state = 0x9e3779b97f4a7c15;  // splitmix64: fixed seed, same bytes every run
    for (unsigned char& byte : bytes) {
      state += 0x9e3779b97f4a7c15;
      std::uint64_t z = state;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
      z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
      byte = static_cast<unsigned char>(z ^ (z >> 31));
    }
    return bytes;
  }();
  return buffers;
}

// --- mandelbrot: escape-time iteration counts of an image of [-2.2, 0.8] x [-1.2, 1.2] ---

// Iterations of z = z^2 + c before |z| > 2, at most max_iterations.
constexpr std::int64_t mandelbrot_iterations(double cx, double cy, std::int64_t max_iterations) {
  double x = 0;
  double y = 0;
  std::int64_t i = 0;
  while (i < max_iterations && x * x + y * y <= 4.0) {
    const double next_x = x * x - y * y + cx;
    y = 2.0 * x * y + cy;
    x = next_x;
    ++i;
  }
  return i;
}

static_assert(mandelbrot_iterations(0, 0, 100) == 100);   // inside the set
static_assert(mandelbrot_iterations(2, 2, 100) == 1);     // escapes after one step
static_assert(mandelbrot_iterations(-1, 0, 100) == 100);  // the period-2 bulb

// Row `row` of an image `rows` high: the sum of its pixels' iteration counts.
inline std::uint64_t mandelbrot_row(std::int64_t row, std::int64_t rows, const Work& work) {
  constexpr double x_min = -2.2;
  constexpr double x_max = 0.8;
  constexpr double y_min = -1.2;
  constexpr double y_max = 1.2;
  const double cy =
      y_min + (y_max - y_min) * (static_cast<double>(row) + 0.5) / static_cast<double>(rows);
  std::uint64_t sum = 0;
  for (std::int64_t column = 0; column < work.mandel_width; ++column) {
    const double cx = x_min + (x_max - x_min) * (static_cast<double>(column) + 0.5) /
                                  static_cast<double>(work.mandel_width);
    sum += static_cast<std::uint64_t>(mandelbrot_iterations(cx, cy, work.mandel_max_iterations));
  }
  return sum;
}

// --- the share of one part ---

// Part `part` of `parts` (0 <= part < parts, parts divides work.units): its units' checksum.
// fib and hash own a contiguous range of units. Mandelbrot rows differ in cost (rows through
// the set take max_iterations per pixel, rows near the edge a few), so a part owns every
// parts-th row, as parallel renderers interleave rows: W contiguous bands would hand one
// worker the whole black middle. Each row's sum is weighted by (row + 1), so a row rendered
// twice while another is skipped changes the checksum.
[[gnu::noinline]] inline std::uint64_t run_part(Kernel kernel, const Work& work, std::int64_t part,
                                                std::int64_t parts) {
  const std::int64_t per_part = work.units / parts;
  std::uint64_t checksum = 0;
  switch (kernel) {
    case Kernel::fib:
      for (std::int64_t unit = part * per_part; unit < (part + 1) * per_part; ++unit) {
        checksum = combine(checksum, fib(opaque(work.fib_n)));
      }
      break;
    case Kernel::hash: {
      const std::vector<unsigned char>& buffers = hash_buffers();
      for (std::int64_t unit = part * per_part; unit < (part + 1) * per_part; ++unit) {
        const std::size_t index = static_cast<std::size_t>(unit) % hash_buffer_count;
        const std::span<const unsigned char> buffer(buffers.data() + index * hash_buffer_bytes,
                                                    hash_buffer_bytes);
        // Each round starts from the previous round's hash: a chain no compiler can shorten.
        std::uint64_t hash = fnv1a_offset_basis ^ static_cast<std::uint64_t>(unit);
        for (std::int64_t round = 0; round < work.hash_rounds; ++round) hash = fnv1a(buffer, hash);
        checksum = combine(checksum, hash);
      }
      break;
    }
    case Kernel::mandelbrot:
      for (std::int64_t row = part; row < work.units; row += parts) {
        const std::uint64_t weight = static_cast<std::uint64_t>(row) + 1;
        checksum = combine(checksum, weight * mandelbrot_row(row, work.units, work));
      }
      break;
  }
  return checksum;
}

}  // namespace workloads::cpu::cpu_scaling::kernels
