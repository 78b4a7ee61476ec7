// threads: a std::thread per task, blocked in std::this_thread::sleep_for (one nanosleep);
// the kernel's timers wake them. That is how a thread-per-task program waits, and the cost
// shown is a thread's: its stack pages that are touched (the 8 MiB default stack is reserved,
// not resident) plus what the kernel keeps per thread, which RSS does not show. A std::latch
// tells this thread when all have started, so RSS is sampled while all sleep. Threads are
// capped at ThreadsWorkload::kMaxThreads; if the OS refuses one anyway, the threads already
// made finish and the Result says how many were made.
//
// Lateness: a thread takes its deadline (clock + D) right before sleep_for(D); nanosleep
// counts D from when it is called, on the same monotonic clock, and never returns early, so
// no thread may wake early. The lateness includes the wait for a core once the timer expired
// (with thousands of threads waking on 2 cores, most of it).

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <latch>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "workloads/common/os_threads.hpp"
#include "workloads/runtime/timers/params.hpp"

namespace workloads::runtime::timers {

namespace {

// The counts every thread reports into. A thread captures three references, its id and D, as
// it did before the lateness was measured: its std::thread state (a heap block, part of
// bytes_per_task) keeps its size.
struct Tally {
  std::atomic<std::int64_t> fired{0};
  std::atomic<std::int64_t> fired_id_sum{0};
  std::atomic<std::int64_t> last_wake_ns{0};

  void woke(std::int64_t id, std::int64_t woke_ns) noexcept {
    // Relaxed: join() makes every count visible to the joining thread.
    fired.fetch_add(1, std::memory_order_relaxed);
    fired_id_sum.fetch_add(id, std::memory_order_relaxed);
    std::int64_t latest = last_wake_ns.load(std::memory_order_relaxed);
    while (latest < woke_ns &&
           !last_wake_ns.compare_exchange_weak(latest, woke_ns, std::memory_order_relaxed)) {
    }
  }
};

}  // namespace

Result threads(const Params& params) {
  LatenessSlots lateness(params.tasks);  // before the RSS baseline: not the tasks' memory
  const MemoryProbe memory;
  const std::int64_t start_ns = clock_ns();

  std::latch asleep(params.tasks);
  Tally tally;
  std::vector<std::thread> workers;
  workers.reserve(static_cast<std::size_t>(params.tasks));

  Result result;
  try {
    for (std::int64_t id = 0; id < params.tasks; ++id) {
      // Each thread writes only its own lateness slot; join() publishes them all.
      workers.emplace_back([&asleep, &tally, &lateness, id, sleep = params.sleep] {
        asleep.count_down();
        lateness.arm(id, sleep);
        std::this_thread::sleep_for(sleep);
        tally.woke(id, lateness.wake(id));
      });
    }
  } catch (const std::system_error& error) {
    result.error = common::refused_thread_error(workers.size(), params.tasks, error);
  }

  if (result.error.empty()) {
    asleep.wait();
    result.rss_delta_bytes = memory.grown_bytes();
    result.asleep_at_sample = params.tasks;
    result.awake_at_sample = tally.fired.load(std::memory_order_relaxed);
  }
  for (std::thread& worker : workers) worker.join();

  result.elapsed =
      std::chrono::nanoseconds(tally.last_wake_ns.load(std::memory_order_relaxed) - start_ns);
  result.fired = tally.fired.load(std::memory_order_relaxed);
  result.fired_id_sum = tally.fired_id_sum.load(std::memory_order_relaxed);
  result.lateness_ns = lateness.take();
  return result;
}

}  // namespace workloads::runtime::timers
