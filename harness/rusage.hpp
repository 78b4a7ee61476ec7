#pragma once
// Memory and scheduling figures of this process, read from the kernel.
//
//   harness::ContextSwitches    voluntary and involuntary context switches so far
//   harness::current_rss_bytes  resident set size now (exact, from /proc/self/statm)
//   harness::peak_rss_bytes     highest resident set size since start or the last reset
//   harness::reset_peak_rss     starts a new peak (Linux >= 4.0; false when refused)
//   harness::context_switches   the counts for every thread of this process, dead or alive
//   harness::cpu_time           user + system CPU time of every thread of this process
//
// All figures cover this process only: children created by fork() are not included, because
// the kernel reports them (RUSAGE_CHILDREN) only once they have been waited for.

#include <chrono>
#include <cstdint>
#include <sys/resource.h>

namespace harness {

struct ContextSwitches {
  // The thread gave up the CPU itself (blocked on I/O, a lock, a sleep, a futex).
  std::int64_t voluntary = 0;
  // The scheduler took the CPU away (time slice over, a higher-priority thread woke up).
  std::int64_t involuntary = 0;
};

// Resident pages times the page size. Three system calls (open, read, close) and no
// allocation, so workload models may call it between phases to compute bytes per task.
// Opened afresh on every call so that a forked child reads its own figure, not its parent's.
// Returns 0 if /proc is not mounted.
[[nodiscard]] std::int64_t current_rss_bytes() noexcept;

// getrusage's ru_maxrss in bytes: the peak since the process started or since the last
// successful reset_peak_rss(), whichever is later.
[[nodiscard]] std::int64_t peak_rss_bytes() noexcept;

// Makes the peak start again from the current RSS (writes "5" to /proc/self/clear_refs, which
// resets both VmHWM and ru_maxrss). Returns false when the kernel refuses (older than 4.0, or
// /proc read-only): the peak then keeps covering the whole process lifetime. Free heap that
// malloc keeps stays resident and counts in the new peak: call malloc_trim(0) first when what
// ran before is not the caller's (harness::detail::run_point does, once per benchmark).
bool reset_peak_rss() noexcept;

[[nodiscard]] ContextSwitches context_switches() noexcept;

// CPU time (user + system) used so far by every thread of this process, dead or alive;
// microsecond resolution (getrusage). 0 if the kernel refuses.
[[nodiscard]] std::chrono::nanoseconds cpu_time() noexcept;

// User + system time of a getrusage/wait4 record.
[[nodiscard]] std::chrono::nanoseconds cpu_time_of(const rusage& usage) noexcept;

}  // namespace harness
