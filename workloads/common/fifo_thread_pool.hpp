#pragma once
// The classic C++ thread pool, as the thread_pool models of io/sleep_fanout and cpu/cpu_scaling
// write it (the standard library has none; boost::asio::thread_pool is the asio_mt models'):
//
//   FifoThreadPool  N threads serving one unbounded FIFO queue of std::function jobs under a
//                   mutex and a condition variable; the destructor runs what is queued, then
//                   joins (Python's ThreadPoolExecutor.shutdown(wait=True))
//
// Starts: the threads start in the constructor; wait_until_started() returns once each has
// entered its loop. Jobs run first come, first served; a worker that finishes takes the next.
// Thread safety: submit() and queued() from any thread. Cost: submit() allocates the
// std::function's state (beyond its 16-byte inline buffer) and the deque's slot, takes the
// mutex and notifies one worker. io/pipeline's pool is not this one: its bounded queue (submit
// waits while Q jobs wait) is what that workload measures.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <latch>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace workloads::common {

class FifoThreadPool {
 public:
  // Throws std::system_error if a thread cannot be started (those started are joined first).
  explicit FifoThreadPool(std::size_t threads) : started_(static_cast<std::ptrdiff_t>(threads)) {
    threads_.reserve(threads);
    try {
      for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
    } catch (...) {
      stop();
      throw;
    }
  }
  FifoThreadPool(const FifoThreadPool&) = delete;
  FifoThreadPool& operator=(const FifoThreadPool&) = delete;
  ~FifoThreadPool() { stop(); }

  [[nodiscard]] std::size_t size() const noexcept { return threads_.size(); }

  // Returns once every worker has started (so that what a worker's start costs, its stack's
  // first pages, is not in a memory figure sampled afterwards).
  void wait_until_started() { started_.wait(); }

  void submit(std::function<void()> job) {
    {
      const std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    job_ready_.notify_one();
  }

  // Jobs submitted and not yet taken by a worker.
  [[nodiscard]] std::size_t queued() {
    const std::lock_guard lock(mutex_);
    return jobs_.size();
  }

 private:
  void work() {
    started_.count_down();
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        job_ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // stopping, and nothing left to run
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  void stop() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    job_ready_.notify_all();
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

  std::latch started_;
  std::mutex mutex_;
  std::condition_variable job_ready_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace workloads::common
