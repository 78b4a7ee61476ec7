#pragma once
// cpu/cpu_scaling: a fixed amount of CPU work (kernels.hpp: recursive fib, FNV-1a over a
// buffer set, a Mandelbrot image) split into W equal parts, run by each model. Speed-up and
// parallel efficiency come from real times (plots/corio_plots/cpu_scaling.py): the
// sequential model's time for the kernel over the model's.
//
//   Params              kernel, workers (W) and the Work, which depends only on the profile
//   Result              the combined checksum, how many parts were combined, what ran them
//   Workload            every W of every kernel, for the parallel models
//   SequentialWorkload  W = 1 only: the baseline
//   PythonWorkload, PythonSequentialWorkload   the same points with a smaller Work, for the
//                       Python models (py_*.py), whose kernels run 50-100x slower
//   cores()             the worker threads a pool-based model starts
//
// Counters besides the harness's ctx_voluntary and ctx_involuntary (all threads of this
// process): workers (W), os_workers (the OS threads or processes that ran parts),
// cpu_time_ms (user + system CPU time of the call: every thread of this process, plus the
// children of processes; against the sequential run's it tells idle cores from slow ones),
// uv_threadpool_size (libuv only), and for processes ctx_voluntary/ctx_involuntary replaced by
// the parent's own switches plus its children's (wait4's rusage), which RUSAGE_SELF misses.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <vector>

#include "harness/bad_input.hpp"
#include "harness/rusage.hpp"
#include "harness/workload.hpp"
#include "workloads/common/os_threads.hpp"
#include "workloads/cpu/cpu_scaling/kernels.hpp"

namespace workloads::cpu::cpu_scaling {

using kernels::Kernel;
using kernels::Work;

struct Params {
  Kernel kernel = Kernel::fib;
  std::int64_t workers = 1;  // W: the work is cut into W equal parts
  Work work;
};

struct Result {
  std::uint64_t checksum = 0;           // the parts' checksums, combined
  std::int64_t parts_done = 0;          // distinct parts whose checksum was combined
  std::int64_t os_workers = 0;          // OS threads (or processes) that ran parts
  std::int64_t uv_threadpool_size = 0;  // libuv: its thread pool's size; 0 for other models
  // processes: the parent's own context switches during the call plus those of its children
  // (from wait4), which getrusage(RUSAGE_SELF) does not see. Unset for the other models.
  bool has_context_switches = false;
  harness::ContextSwitches context_switches;
  // CPU time the call used. register.cpp's with_cpu_time adds this process's (all threads);
  // processes adds its children's (wait4), which that does not see.
  std::chrono::nanoseconds cpu_time{0};
  std::string error;  // a thread or process that could not be started, a child that crashed
};

Result sequential(const Params& params);
Result corio(const Params& params);
Result corio_mt(const Params& params);
Result threads(const Params& params);
Result thread_pool(const Params& params);
Result processes(const Params& params);
Result asio_mt(const Params& params);
Result libuv(const Params& params);

// Worker threads of the pool-based models (corio_mt, thread_pool, asio_mt): one per core.
inline std::int64_t cores() { return common::hardware_threads(); }

// How much work a run is, per kernel and profile: one sequential run takes 115-130 ms of CPU
// in quick and about half a second in full (measured on the 2-core reference VM, AMD EPYC,
// clang 14 -O2; full was twice that before its three repetitions per point). 256 units (1024
// in full) make W = 1, 2, 4, ..., 256 divide evenly.
inline Work work_for(Kernel kernel, harness::Profile profile) {
  const bool quick = profile == harness::Profile::quick;
  switch (kernel) {
    case Kernel::fib:  // fib(n) makes 2 fib(n+1) - 1 calls, about 0.8 ns each here
      return {.units = quick ? 256 : 1024, .fib_n = 27U};
    case Kernel::hash:  // a round is 4 KiB at about 1.3 ns per byte (one multiply's latency)
      return {.units = quick ? 256 : 1024, .hash_rounds = 96};
    case Kernel::mandelbrot:  // units are image rows
      return {.units = quick ? 256 : 1024,
              .mandel_width = 1024,
              .mandel_max_iterations = quick ? 640 : 768};
  }
  return {};
}

inline constexpr Kernel all_kernels[] = {Kernel::fib, Kernel::hash, Kernel::mandelbrot};
inline constexpr std::int64_t all_workers[] = {1, 2, 4, 8, 16, 64, 256};

// The checksum every correct run of `kernel` over `work` returns, whatever W and the model.
// fib's follows from arithmetic; hash and mandelbrot are computed once, sequentially, on the
// first check of each (untimed, about as long as one sequential run), and remembered.
inline std::uint64_t expected_checksum(Kernel kernel, const Work& work) {
  if (kernel == Kernel::fib) {
    std::uint64_t previous = 0;
    std::uint64_t current = 1;  // fib(1)
    for (std::uint32_t i = 1; i < work.fib_n; ++i) {
      const std::uint64_t next = previous + current;
      previous = current;
      current = next;
    }
    const std::uint64_t fib_n = work.fib_n == 0 ? 0 : current;
    return static_cast<std::uint64_t>(work.units) * fib_n;
  }
  using Key = std::tuple<Kernel, std::int64_t, std::int64_t, std::int64_t, std::int64_t>;
  static std::mutex mutex;
  static std::map<Key, std::uint64_t> known;
  const Key key{kernel, work.units, work.hash_rounds, work.mandel_width,
                work.mandel_max_iterations};
  const std::lock_guard lock(mutex);
  auto [it, inserted] = known.try_emplace(key, 0);
  if (inserted) it->second = kernels::run_part(kernel, work, 0, 1);
  return it->second;
}

struct Workload {
  using Params = cpu_scaling::Params;
  using Result = cpu_scaling::Result;

  static constexpr std::string_view name = "cpu/cpu_scaling";

  static std::vector<Params> points(harness::Profile profile) {
    std::vector<Params> out;
    for (Kernel kernel : all_kernels) {
      for (std::int64_t workers : all_workers) out.push_back(point(kernel, workers, profile));
    }
    return out;
  }

  static std::string label(const Params& params) {
    return "kernel:" + std::string(kernels::kernel_name(params.kernel)) +
           "/workers:" + std::to_string(params.workers);
  }

  static std::string check(const Params& params, const Result& result) {
    if (!result.error.empty()) return result.error;
    if (result.parts_done != params.workers) {
      return std::to_string(result.parts_done) + " of " + std::to_string(params.workers) +
             " parts were done";
    }
    const std::uint64_t expected = expected_checksum(params.kernel, params.work);
    if (result.checksum != expected) {
      return "checksum " + std::to_string(result.checksum) + ", expected " +
             std::to_string(expected) + " (a part was lost, done twice or computed wrongly)";
    }
    return "";
  }

  // One call per repetition: the full profile's three repetitions, each in its own process and
  // interleaved with the rest of the suite, give the median and its spread (three calls in a
  // row would share one state of the machine).
  static int iterations(const Params& /*params*/, harness::Profile /*profile*/) { return 1; }

  // Speed-up, not operations per second, is this workload's figure.
  static double items(const Params& /*params*/) { return 0; }

  static void counters(const Params& params, const Result& result, harness::Counters& counters) {
    counters.set("workers", static_cast<double>(params.workers));
    counters.set("os_workers", static_cast<double>(result.os_workers));
    counters.set("cpu_time_ms", std::chrono::duration<double, std::milli>(result.cpu_time).count());
    if (result.uv_threadpool_size > 0) {
      counters.set("uv_threadpool_size", static_cast<double>(result.uv_threadpool_size));
    }
    if (result.has_context_switches) {
      counters.set("ctx_voluntary", static_cast<double>(result.context_switches.voluntary));
      counters.set("ctx_involuntary", static_cast<double>(result.context_switches.involuntary));
    }
  }

  static Params point(Kernel kernel, std::int64_t workers, harness::Profile profile) {
    Params params{kernel, workers, work_for(kernel, profile)};
    if (workers < 1 || params.work.units % workers != 0) {
      throw harness::BadInput("corio-bench: cpu/cpu_scaling: " + std::to_string(workers) +
                              " workers do not divide the " + std::to_string(params.work.units) +
                              " units of kernel " + std::string(kernels::kernel_name(kernel)) +
                              " into equal parts");
    }
    return params;
  }
};

// The baseline: the whole work in one part, so W = 1 only.
struct SequentialWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    std::vector<Params> out;
    for (Kernel kernel : all_kernels) out.push_back(point(kernel, 1, profile));
    return out;
  }
};

// The Python models (py_sequential, py_asyncio, py_threads, py_processes: py_kernels.py, the
// same kernels bit for bit) run CPython's bytecode, 50-100x slower than clang's -O2 here (a
// fib call about 30 ns, an FNV-1a byte about 60 ns, measured with time.process_time on the
// reference VM). C++'s Work would take 20-60 s per call, so each kernel gets a smaller one
// that keeps the same 256 units (every W from 1 to 256 still divides it evenly, so speed-up
// against W reads the same) and makes one sequential Python run about 0.12 s in quick and
// 0.5 s in full: fib(19) or fib(22) per unit instead of fib(27), 2 or 8 hash rounds instead
// of 96, Mandelbrot rows 128 or 256 pixels wide with 256 or 512 iterations at most instead
// of 1024 and 640/768. The checksum is that of the smaller Work, computed by the C++
// run_part at the first check as for any point. Their speed-up is over py_sequential, never
// over the C++ sequential: the work differs.
inline Work python_work_for(Kernel kernel, harness::Profile profile) {
  const bool quick = profile == harness::Profile::quick;
  switch (kernel) {
    case Kernel::fib:
      return {.units = 256, .fib_n = quick ? 19U : 22U};
    case Kernel::hash:
      return {.units = 256, .hash_rounds = quick ? 2 : 8};
    case Kernel::mandelbrot:
      return {.units = 256,
              .mandel_width = quick ? 128 : 256,
              .mandel_max_iterations = quick ? 256 : 512};
  }
  return {};
}

struct PythonWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    std::vector<Params> out;
    for (const Params& params : Workload::points(profile)) {
      out.push_back({params.kernel, params.workers, python_work_for(params.kernel, profile)});
    }
    return out;
  }
};

// py_sequential, the Python rows' baseline: W = 1 only.
struct PythonSequentialWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    std::vector<Params> out;
    for (Kernel kernel : all_kernels) out.push_back({kernel, 1, python_work_for(kernel, profile)});
    return out;
  }
};

}  // namespace workloads::cpu::cpu_scaling
