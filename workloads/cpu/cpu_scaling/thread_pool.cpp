// thread_pool: a fixed pool of one thread per core and a task queue; each part is submitted
// as a task and its result comes back through a std::future, which the caller blocks on.
// That is the classic C++ pool (a mutex, a condition variable, a deque of type-erased jobs,
// packaged_task for the result), written here because the standard library has none, and
// not boost::asio::thread_pool, whose post/executor interface is asio_mt's model. Jobs are
// taken first come, first served; a finished worker takes the next, so W parts on N workers
// run as N at a time with no time slicing between them. The pool is made per call (starting
// two threads is ~0.1 ms beside a 100 ms run); a program would keep one for its lifetime.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "workloads/cpu/cpu_scaling/kernels.hpp"
#include "workloads/cpu/cpu_scaling/params.hpp"

namespace workloads::cpu::cpu_scaling {
namespace {

// N threads that run submitted jobs in submission order. The destructor runs what is still
// queued, then joins. submit() is thread-safe; it allocates the job and its shared state.
class FixedThreadPool {
 public:
  // Throws std::system_error if a thread cannot be started (those started are joined).
  explicit FixedThreadPool(std::size_t threads) {
    threads_.reserve(threads);
    try {
      for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
    } catch (...) {
      stop();
      throw;
    }
  }
  FixedThreadPool(const FixedThreadPool&) = delete;
  FixedThreadPool& operator=(const FixedThreadPool&) = delete;
  ~FixedThreadPool() { stop(); }

  [[nodiscard]] std::size_t size() const noexcept { return threads_.size(); }

  // Queues f; the future holds its value (or its exception) once a worker has run it.
  template <class F>
  std::future<std::invoke_result_t<F&>> submit(F f) {
    // std::function needs a copyable callable and packaged_task is move-only: share it.
    auto task = std::make_shared<std::packaged_task<std::invoke_result_t<F&>()>>(std::move(f));
    auto future = task->get_future();
    {
      const std::lock_guard lock(mutex_);
      jobs_.emplace_back([task] { (*task)(); });
    }
    job_ready_.notify_one();
    return future;
  }

 private:
  void work() {
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
    for (std::thread& thread : threads_) thread.join();
  }

  std::mutex mutex_;
  std::condition_variable job_ready_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace

Result thread_pool(const Params& params) {
  FixedThreadPool pool(static_cast<std::size_t>(cores()));
  std::vector<std::future<std::uint64_t>> parts;
  parts.reserve(static_cast<std::size_t>(params.workers));
  for (std::int64_t part = 0; part < params.workers; ++part) {
    parts.push_back(pool.submit([&params, part] {
      return kernels::run_part(params.kernel, params.work, part, params.workers);
    }));
  }
  Result result;
  for (std::future<std::uint64_t>& part : parts) {
    result.checksum = kernels::combine(result.checksum, part.get());
    ++result.parts_done;
  }
  result.os_workers = static_cast<std::int64_t>(pool.size());
  return result;
}

}  // namespace workloads::cpu::cpu_scaling
