#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include <corio/detail/spin_wait.hpp>
#include <corio/event_loop.hpp>
#include <corio/thread_pool.hpp>

namespace corio {

namespace detail {

namespace {
// Set by a worker while it runs a coroutine that left a loop (the loop's remote operation
// it still owes); cleared by the awaiter that moves the coroutine on.
thread_local constinit EventLoop* tls_worker_home = nullptr;
}  // namespace

[[gnu::noinline]] EventLoop* running_loop() noexcept { return EventLoop::current(); }

[[gnu::noinline]] EventLoop* worker_home() noexcept { return tls_worker_home; }

[[gnu::noinline]] EventLoop* leave_worker() noexcept {
  return std::exchange(tls_worker_home, nullptr);
}

void throw_not_home(const EventLoop* here, const EventLoop* home) {
  if (here != nullptr) {
    throw std::logic_error(
        "corio::resume_on(loop): the coroutine is running on another event loop; a task "
        "cannot move between loops");
  }
  if (home == nullptr) {
    throw std::logic_error(
        "corio::resume_on(loop): the coroutine is not on a worker it reached from that loop "
        "through ThreadPool::schedule()");
  }
  throw std::logic_error(
      "corio::resume_on(loop): the coroutine left a different loop; it must go back to the "
      "loop it came from");
}

namespace {
[[noreturn]] void abort_stranded() noexcept {
  std::fputs(
      "corio::ThreadPool: a coroutine that left an event loop finished or suspended on a "
      "worker without `co_await corio::resume_on(loop)`; every path (exceptions too) must hop "
      "back before the coroutine ends or awaits anything but a Task, schedule() or "
      "resume_on(). Aborting.\n",
      stderr);
  std::abort();
}
}  // namespace

}  // namespace detail

ThreadPool::ThreadPool(std::size_t threads) {
  if (threads == 0) {
    throw std::invalid_argument("corio::ThreadPool: the number of threads must be at least 1");
  }
  threads_.reserve(threads);
  try {
    for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
  } catch (...) {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    work_ready_.notify_all();
    for (std::thread& thread : threads_) thread.join();
    throw;
  }
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (std::thread& thread : threads_) thread.join();
  // A worker of another pool may have hopped a coroutine here and still be in notify_one().
  while (pushing_.load(std::memory_order_acquire) != 0) std::this_thread::yield();
}

void ThreadPool::push(detail::PoolJob& job) noexcept {
  pushing_.fetch_add(1, std::memory_order_relaxed);  // ordered by the mutex below
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    job.next = nullptr;
    if (tail_ != nullptr) {
      tail_->next = &job;
    } else {
      head_.store(&job, std::memory_order_relaxed);
    }
    tail_ = &job;
    // A spinning worker takes the job (and wakes a sleeper if more are queued by then); a
    // busy one takes it when it finishes its own. A spinner that gives up re-checks the
    // queue under the mutex before it sleeps, so skipping the wake-up here loses nothing.
    wake = idle_ > 0 && !spinning_.load(std::memory_order_relaxed);
  }
  // Notified after unlocking, so the worker does not wake into a held mutex (measured: two
  // futex calls per hop fewer). The job may already be running, back home, and its owner
  // destroying this pool: ~ThreadPool waits for `pushing_` to drop before it frees the
  // condition variable.
  if (wake) work_ready_.notify_one();
  pushing_.fetch_sub(1, std::memory_order_release);
}

void ThreadPool::work() noexcept {
  std::unique_lock lock(mutex_);
  bool spun = false;  // spun since the last job: sleep now
  for (;;) {
    detail::PoolJob* const first = head_.load(std::memory_order_relaxed);
    if (first == nullptr) {
      if (stopping_) return;  // queued work first: stop only once the queue is empty
      bool nobody = false;
      if (!spun && spinning_.compare_exchange_strong(nobody, true, std::memory_order_relaxed)) {
        spun = true;
        lock.unlock();
        // Seeing a job only ends the spin; it is taken under the mutex, which orders the rest.
        detail::spin_until([this] { return head_.load(std::memory_order_relaxed) != nullptr; },
                           kWorkerSpinNs);
        spinning_.store(false, std::memory_order_relaxed);
        lock.lock();
        continue;
      }
      ++idle_;
      work_ready_.wait(
          lock, [this] { return head_.load(std::memory_order_relaxed) != nullptr || stopping_; });
      --idle_;
      continue;
    }
    detail::PoolJob& job = *first;
    head_.store(job.next, std::memory_order_relaxed);
    if (job.next == nullptr) tail_ = nullptr;
    // push() skipped the wake-up while this worker spun: pass the rest on to a sleeper.
    const bool wake_another = spun && job.next != nullptr && idle_ > 0;
    spun = false;
    lock.unlock();
    if (wake_another) work_ready_.notify_one();
    detail::tls_worker_home = job.home;
    job.handle.resume();  // `job` lives in the coroutine's frame: gone from here on
    if (detail::tls_worker_home != nullptr) detail::abort_stranded();
    lock.lock();
  }
}

}  // namespace corio
