// threads: a std::thread per task, blocked in std::this_thread::sleep_for(D) (one
// clock_nanosleep); the kernel's timers wake them, and join() waits for all: the
// thread-per-request model. Creating a thread costs tens of microseconds, so at 10,000
// threads creating them takes longer than D and sets the wall time. Memory is sampled once
// every thread has started (a latch each counts down right before its sleep): their stacks'
// touched pages (the 8 MiB stacks are reserved, not resident); the kernel's per-thread stack
// and task struct are not in RSS. From N = 1,000 at D = 10 ms the first threads have finished
// before the last is created, but a finished thread not yet joined keeps its touched stack
// pages (glibc returns only the part of the stack more than 16 KiB below its last frame when
// a thread exits), so the figure still holds N threads' stacks. Threads are capped at
// ThreadsWorkload::kMaxThreads; if the OS refuses one anyway, the threads already made finish
// and the Result says how many were made.

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
#include "workloads/io/sleep_fanout/params.hpp"

namespace workloads::io::sleep_fanout {

Result threads(const Params& params) {
  const auto start = std::chrono::steady_clock::now();
  const MemoryProbe probe;

  std::latch started(params.tasks);
  std::atomic<std::int64_t> completed{0};
  std::atomic<std::int64_t> completed_id_sum{0};
  std::vector<std::thread> workers;
  workers.reserve(static_cast<std::size_t>(params.tasks));

  Result result;
  try {
    for (std::int64_t id = 0; id < params.tasks; ++id) {
      workers.emplace_back([&started, &completed, &completed_id_sum, id, delay = params.delay] {
        started.count_down();
        std::this_thread::sleep_for(delay);
        // Relaxed: join() below makes every count visible to this thread.
        completed.fetch_add(1, std::memory_order_relaxed);
        completed_id_sum.fetch_add(id, std::memory_order_relaxed);
      });
    }
    started.wait();
    result.memory_bytes = probe.grown_bytes();
  } catch (const std::system_error& error) {
    result.error = common::refused_thread_error(workers.size(), params.tasks, error);
  }
  for (std::thread& worker : workers) worker.join();

  result.elapsed = std::chrono::steady_clock::now() - start;
  result.completed = completed.load(std::memory_order_relaxed);
  result.completed_id_sum = completed_id_sum.load(std::memory_order_relaxed);
  return result;
}

}  // namespace workloads::io::sleep_fanout
