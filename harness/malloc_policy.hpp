#pragma once
// glibc malloc's thresholds, pinned for every process of the suite.
//
//   harness::kMmapThresholdBytes   blocks at least this large are mmapped: 32 MiB
//   harness::kTrimThresholdBytes   free heap above this is given back by free(): 2 GiB - 1
//   harness::pin_malloc_thresholds sets both here and, through GLIBC_TUNABLES, in every
//                                  process started from here on (servers, other languages)
//
// Why: left alone, glibc raises both thresholds to the largest block it has given back with
// munmap (the trim threshold to twice that), so a call's cost depends on which blocks earlier
// calls happened to free. A call that frees more than the trim threshold has its heap trimmed
// at its end and faults it back in at the next call: measured on 2026-12-05, asio's
// io/sleep_fanout at 10,000 tasks took 43.5 ms that way and 14.5 ms pinned, libuv's at
// 100,000 91.9 against 62.6 ms, and a 40-byte gather slot made corio's 3x slower until
// pinned (README, "Instructions per operation"). Pinned, every
// call runs on the heap the earlier calls of its benchmark grew (the harness still gives the
// heap back before a benchmark's first batch: workload_impl.hpp) and a block above 32 MiB is
// mapped and unmapped by every call alike. Setting either threshold turns glibc's adjustment
// off. Under AddressSanitizer and ThreadSanitizer malloc is the sanitizer's: nothing to pin.
//
// Thread safety: call at the start of main(), before any thread or child process exists
// (setenv).

#include <cstddef>

namespace harness {

inline constexpr std::size_t kMmapThresholdBytes = std::size_t{32} << 20;  // glibc's maximum
inline constexpr std::size_t kTrimThresholdBytes = (std::size_t{1} << 31) - 1;

// The GLIBC_TUNABLES value that pins both thresholds in a child process.
inline constexpr const char* kMallocTunables =
    "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=2147483647";

// Pins the thresholds in this process and exports GLIBC_TUNABLES for its children, unless the
// environment already sets another GLIBC_TUNABLES (kept as it is, said on stderr). Returns
// false when mallopt refused a value (under a sanitizer, whose malloc has no such thresholds).
bool pin_malloc_thresholds();

}  // namespace harness
