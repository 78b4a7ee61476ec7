// threads: a std::thread per task, blocked in std::this_thread::sleep_for (one nanosleep);
// the kernel's timers wake them. That is how a thread-per-task program waits, and the cost
// shown is a thread's: its stack pages that are touched (the 8 MiB default stack is reserved,
// not resident) plus what the kernel keeps per thread, which RSS does not show. A std::latch
// tells this thread when all have started, so RSS is sampled while all sleep. Threads are
// capped at ThreadsWorkload::kMaxThreads; if the OS refuses one anyway, the threads already
// made finish and the Result says how many were made.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <latch>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "workloads/runtime/timers/params.hpp"

namespace workloads::runtime::timers {

Result threads(const Params& params) {
  const std::int64_t rss_before = settled_rss_bytes();
  const auto start = std::chrono::steady_clock::now();

  std::latch asleep(params.tasks);
  std::atomic<std::int64_t> fired{0};
  std::atomic<std::int64_t> fired_id_sum{0};
  std::vector<std::thread> workers;
  workers.reserve(static_cast<std::size_t>(params.tasks));

  Result result;
  try {
    for (std::int64_t id = 0; id < params.tasks; ++id) {
      workers.emplace_back([&asleep, &fired, &fired_id_sum, id, sleep = params.sleep] {
        asleep.count_down();
        std::this_thread::sleep_for(sleep);
        // Relaxed: join() below makes every count visible to this thread.
        fired.fetch_add(1, std::memory_order_relaxed);
        fired_id_sum.fetch_add(id, std::memory_order_relaxed);
      });
    }
  } catch (const std::system_error& error) {
    result.error = "the OS refused thread " + std::to_string(workers.size() + 1) + " of " +
                   std::to_string(params.tasks) + " (" + error.what() +
                   "): this machine's limits (ulimit -u, ulimit -v, vm.max_map_count) allow fewer";
  }

  if (result.error.empty()) {
    asleep.wait();
    result.rss_delta_bytes = harness::current_rss_bytes() - rss_before;
    result.asleep_at_sample = params.tasks;
    result.awake_at_sample = fired.load(std::memory_order_relaxed);
  }
  for (std::thread& worker : workers) worker.join();
  result.elapsed = std::chrono::steady_clock::now() - start;

  result.fired = fired.load(std::memory_order_relaxed);
  result.fired_id_sum = fired_id_sum.load(std::memory_order_relaxed);
  return result;
}

}  // namespace workloads::runtime::timers
