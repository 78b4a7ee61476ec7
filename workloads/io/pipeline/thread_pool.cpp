// thread_pool: the items become tasks on a general-purpose fixed-size pool, the way an
// executor is used (Java's ThreadPoolExecutor over an ArrayBlockingQueue, Python's
// ThreadPoolExecutor behind a bound): the producer submits one type-erased task
// (std::function) per record, submit() blocks while Q tasks wait, and the pool's workers run
// them in order. The pool's own task queue is the bounded queue; shutdown() lets the workers
// finish what is queued, then joins them (executor.shutdown(wait=True)).
//
// Size: an expert sizes a pool by what its tasks do, not by the number of consumers asked
// for. work:cpu tasks never block, so the pool has min(K, hardware threads) workers: more
// would only add switches. A work:io task blocks its thread for the whole wait, so there the
// pool has K workers, one per wait that should overlap (sized to the cores it would overlap
// only two waits at a time here).
//
// Each task adds its record to the Tally of the worker running it (BS::thread_pool's
// this_thread::get_index idea: the pool tells a task its worker's index), one cache line per
// worker so that workers never write the same line. A stall is a submit() that found the
// queue full and waited. The record travels inside the task, so each task allocates (a
// closure holding 256 bytes does not fit std::function's 16-byte inline buffer): that is a
// type-erased pool's cost, and part of what this model shows next to the threads model's
// typed ring.

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "workloads/common/os_threads.hpp"
#include "workloads/io/pipeline/params.hpp"

namespace workloads::io::pipeline {
namespace {

// A fixed set of workers running std::function tasks from a queue of at most `capacity`.
class FixedThreadPool {
 public:
  // Throws std::system_error if a thread cannot be started (after joining those that were).
  FixedThreadPool(std::size_t threads, std::size_t capacity) : tasks_(capacity) {
    workers_.reserve(threads);
    try {
      for (std::size_t index = 0; index < threads; ++index) {
        workers_.emplace_back(&FixedThreadPool::work, this, index);
      }
    } catch (...) {
      shutdown();
      throw;
    }
  }
  FixedThreadPool(const FixedThreadPool&) = delete;
  FixedThreadPool& operator=(const FixedThreadPool&) = delete;
  ~FixedThreadPool() { shutdown(); }

  // Queues the task, waiting while `capacity` tasks are queued; returns whether it waited.
  bool submit(std::function<void()> task) {
    std::unique_lock lock(mutex_);
    const bool stalled = count_ == tasks_.size();
    if (stalled) not_full_.wait(lock, [this] { return count_ < tasks_.size(); });
    tasks_[(head_ + count_) % tasks_.size()] = std::move(task);
    ++count_;
    lock.unlock();
    not_empty_.notify_one();
    return stalled;
  }

  // Runs every queued task, then joins the workers. Idempotent.
  void shutdown() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    not_empty_.notify_all();
    for (std::thread& worker : workers_) {
      if (worker.joinable()) worker.join();
    }
  }

  [[nodiscard]] std::size_t size() const noexcept { return workers_.size(); }

  // The index of the worker running the calling task.
  static std::size_t worker_index() noexcept { return current_worker_index; }

 private:
  void work(std::size_t index) {
    current_worker_index = index;
    for (;;) {
      std::unique_lock lock(mutex_);
      not_empty_.wait(lock, [this] { return count_ > 0 || stopping_; });
      if (count_ == 0) return;  // stopping, and nothing left to run
      std::function<void()> task = std::move(tasks_[head_]);
      head_ = (head_ + 1) % tasks_.size();
      --count_;
      lock.unlock();
      not_full_.notify_one();
      task();
    }
  }

  static thread_local std::size_t current_worker_index;

  std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::vector<std::function<void()>> tasks_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

thread_local std::size_t FixedThreadPool::current_worker_index = 0;

// A worker's tally on a cache line of its own.
struct alignas(64) WorkerTally {
  Tally tally;
};

}  // namespace

Result thread_pool(const Params& params) {
  require_valid(params);
  const auto cores = common::hardware_threads();
  const std::int64_t threads =
      params.work == Work::cpu ? std::min(params.consumers, cores) : params.consumers;
  std::vector<WorkerTally> tallies(static_cast<std::size_t>(threads));

  Result result;
  result.workers = threads;
  try {
    FixedThreadPool pool(static_cast<std::size_t>(threads),
                         static_cast<std::size_t>(params.capacity));
    const Work work = params.work;
    WorkerTally* const slots = tallies.data();
    for (std::int64_t id = 0; id < params.items; ++id) {
      const bool stalled =
          pool.submit([record = make_record(static_cast<std::uint64_t>(id)), work, slots] {
            if (work == Work::io) std::this_thread::sleep_for(kIoWait);
            slots[FixedThreadPool::worker_index()].tally.consume(record);
          });
      if (stalled) ++result.queue_full_stalls;
    }
    pool.shutdown();
  } catch (const std::system_error& error) {
    result.error =
        "the OS refused one of " + std::to_string(threads) + " pool threads (" + error.what() + ")";
  }
  for (const WorkerTally& slot : tallies) result.total += slot.tally;
  return result;
}

}  // namespace workloads::io::pipeline
