// thread_pool: Python's ThreadPoolExecutor in C++. A fixed pool of P = min(32, cores + 4)
// threads (the executor's default size) takes tasks from one FIFO queue; each task is a
// closure that blocks its worker in std::this_thread::sleep_for(D). All N are submitted, then
// the pool is shut down and joined (`with ThreadPoolExecutor() as pool: pool.map(...)`). At
// most P waits overlap, so the wall time is ceil(N / P)·D: that is what a pool of blocking
// workers does with waits, and the point of this model.
//
// Memory: no bytes_per_task. Once all N are submitted, only min(P, N) tasks wait (each on its
// worker thread) and the rest sit in the queue as closures, so no figure here is "memory per
// waiting task". What the model reports instead is bytes_per_queued_task: how much malloc's
// bytes in use grew while the N closures were submitted (each closure's heap block and its
// std::function slot in the deque), over N, sampled once all N are submitted and before any
// finished, with the P threads already started (their stacks are not in it).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>
#include <thread>

#include "workloads/common/fifo_thread_pool.hpp"
#include "workloads/common/os_threads.hpp"
#include "workloads/io/sleep_fanout/params.hpp"

namespace workloads::io::sleep_fanout {
namespace {

// ThreadPoolExecutor's default max_workers since Python 3.8: enough threads for I/O-bound
// work on small machines, bounded on large ones.
std::size_t default_pool_size() {
  return static_cast<std::size_t>(std::min<std::int64_t>(32, common::hardware_threads() + 4));
}

}  // namespace

Result thread_pool(const Params& params) {
  const auto start = std::chrono::steady_clock::now();

  std::atomic<std::int64_t> completed{0};
  std::atomic<std::int64_t> completed_id_sum{0};
  Result result;
  try {
    // ThreadPoolExecutor: a FIFO queue of closures; leaving this scope runs what is queued,
    // then joins the workers (shutdown(wait=True)).
    common::FifoThreadPool pool(default_pool_size());
    pool.wait_until_started();
    const MemoryProbe probe;  // after the workers started: the figure is the closures'
    for (std::int64_t id = 0; id < params.tasks; ++id) {
      pool.submit([&completed, &completed_id_sum, id, delay = params.delay] {
        std::this_thread::sleep_for(delay);
        // Relaxed: joining the workers makes every count visible to this thread.
        completed.fetch_add(1, std::memory_order_relaxed);
        completed_id_sum.fetch_add(id, std::memory_order_relaxed);
      });
    }
    const std::int64_t closure_bytes = probe.heap_grown_bytes();
    result.queued_at_sample = static_cast<std::int64_t>(pool.queued());
    // A closure that finished was freed, and its block may hold a later one: the growth
    // then no longer covers N closures. (Submitting 1,000 takes far less than D.)
    if (completed.load(std::memory_order_relaxed) == 0) {
      result.queued_closure_bytes = closure_bytes;
    }
  } catch (const std::system_error& error) {
    result.error = std::string("the OS refused a pool thread (") + error.what() + ")";
  }

  result.elapsed = std::chrono::steady_clock::now() - start;
  result.completed = completed.load(std::memory_order_relaxed);
  result.completed_id_sum = completed_id_sum.load(std::memory_order_relaxed);
  return result;
}

}  // namespace workloads::io::sleep_fanout
