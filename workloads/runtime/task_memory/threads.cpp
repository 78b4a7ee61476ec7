// threads: a std::thread per task, blocked on one std::latch of count 1 (C++20's one-shot
// event: a futex wait, so a blocked thread costs no CPU); the release is one count_down(),
// which wakes them all. A second latch tells this thread when all have started. A thread
// costs its touched stack pages (the 8 MiB default stack is reserved, not resident) and, out
// of RSS's sight, its kernel stack and task struct. If the OS refuses a thread, those already
// made are released and joined, and the Result says how many were made.

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
#include "workloads/runtime/task_memory/params.hpp"

namespace workloads::runtime::task_memory {

Result threads(const Params& params) {
  const MemoryProbe memory;

  std::latch waiting(params.tasks);
  std::latch release(1);
  std::atomic<std::int64_t> finished{0};
  Result result;
  const auto creating = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  workers.reserve(static_cast<std::size_t>(params.tasks));

  try {
    for (std::int64_t i = 0; i < params.tasks; ++i) {
      workers.emplace_back([&waiting, &release, &finished] {
        waiting.count_down();
        release.wait();
        finished.fetch_add(1, std::memory_order_relaxed);  // join() below publishes it
      });
    }
  } catch (const std::system_error& error) {
    result.error = common::refused_thread_error(workers.size(), params.tasks, error);
  }

  if (result.error.empty()) {
    waiting.wait();
    result.creation = std::chrono::steady_clock::now() - creating;
    result.rss_delta_bytes = memory.grown_bytes();
    result.waiting_at_sample = params.tasks;
    result.finished_at_sample = finished.load(std::memory_order_relaxed);
  }
  release.count_down();
  for (std::thread& worker : workers) worker.join();

  result.finished = finished.load(std::memory_order_relaxed);
  return result;
}

}  // namespace workloads::runtime::task_memory
