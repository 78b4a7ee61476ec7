#pragma once
// Parallelism inside one program: move a coroutine onto worker threads and back.
//
//   corio::ThreadPool            n worker threads that run coroutines handed to them
//   ThreadPool::schedule()       `co_await pool.schedule()`: continue on a worker
//   corio::resume_on(loop)       `co_await corio::resume_on(loop)`: continue on the loop again
//   ThreadPool::run(f)           Task that runs f() on a worker and comes back with its value
//   corio::on_pool(pool, task)   Task that runs `task` on a worker and comes back with its value
//
// The hop. schedule() queues the awaiting coroutine on the pool (an intrusive node in the
// awaiter, no allocation) and, when awaited on a loop, tells that loop one operation is away
// (EventLoop::begin_remote_operation): run() neither reports a deadlock nor returns while a
// task is on a worker. resume_on(loop) hands the coroutine back through EventLoop::post_remote,
// which ends that operation. A coroutine must come back to the loop it left, on every path
// (exceptions included), before it finishes or awaits anything other than a Task,
// schedule() or resume_on(); run() and on_pool() do this for you.
//
// On a worker a coroutine is outside the loop: sleep, yield_now, to_thread, wait_for, spawn,
// and any Queue/Semaphore/Mutex/Event wait that has to suspend throw std::logic_error there
// (EventLoop::require_current finds no loop). A Queue/Semaphore/Mutex/Event operation that
// would complete without suspending cannot tell, and races with the loop: do not call those
// on a worker at all. A coroutine that stops on a worker without hopping back (it finished
// there, or suspended on something else) leaves its loop waiting forever and would run loop
// code on the worker: the worker prints a message and calls std::abort().
//
// Code that changes threads must not compare thread identities across a hop with
// std::this_thread::get_id(): glibc declares pthread_self() __attribute__((const)), and clang
// 14 merges the calls on either side of the co_await, so the coroutine sees the thread it
// left (seen in this file's tests; gettid() is not affected). The same holds for any
// thread_local read inline on both sides (STYLE.md's coroutine hazards); corio's own
// awaiters here read theirs out of line.
//
// Cancellation of a task that is on a worker cannot interrupt it: the request is kept, and
// resume_on() raises CancelledError when the task is back on its loop. schedule() is a
// suspension point: a pending cancellation makes it raise CancelledError on the loop, without
// leaving.

#include <atomic>
#include <condition_variable>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <corio/detail/task_core.hpp>
#include <corio/errors.hpp>
#include <corio/event_loop.hpp>
#include <corio/task.hpp>

namespace corio {

class ThreadPool;

namespace detail {

// A coroutine queued on a ThreadPool; lives in the awaiter, inside the waiting frame.
struct PoolJob {
  std::coroutine_handle<> handle;
  EventLoop* home = nullptr;  // the loop the coroutine left, which counts it as away
  PoolJob* next = nullptr;
};

// Thread-local reads kept out of line on purpose: a coroutine that changes threads must not
// reuse a thread-local address computed before a suspension (older clang could cache one).
[[nodiscard]] EventLoop* running_loop() noexcept;
// On a worker: the loop the coroutine being run left (nullptr elsewhere).
[[nodiscard]] EventLoop* worker_home() noexcept;
// The coroutine being run leaves this worker for `home`'s sake; returns the home it carried.
EventLoop* leave_worker() noexcept;
// Why resume_on() cannot hop from here (`here`: this thread's loop; `home`: worker_home()).
[[noreturn]] void throw_not_home(const EventLoop* here, const EventLoop* home);

}  // namespace detail

// Worker threads for CPU-bound work; coroutines hop onto them and back to their loop.
//
// Starts:   the n threads start in the constructor and wait for work; `co_await
//           pool.schedule()` queues the awaiting coroutine, first in first out, and the next
//           free worker continues it.
// Resumes:  schedule(): on a worker thread (never inline on the awaiting thread).
//           resume_on(loop): on the loop's thread, in the loop's next iteration after the
//           worker hands it over (like a to_thread completion).
// Cancellation: a task on a worker runs on; the request is raised by resume_on() when it is
//           back on the loop (its work is done but its result is dropped, as with
//           to_thread). schedule() raises a pending request without leaving the loop.
// Thread safety: schedule(), run() and on_pool() may be awaited from any loop or worker
//           thread, for any number of pools at once. The destructor must not run on one of
//           the pool's own workers.
// Lifetime: the destructor blocks until every queued coroutine has been run (they hop back
//           to their loops as usual) and joins the threads. Destroy the pool after the loops
//           that use it have finished, or at least after their tasks came back.
// Cost:     no allocation per hop (the node lives in the awaiting frame). schedule(): one
//           mutex hand-off, plus a futex wake-up when every worker sleeps. resume_on(): one
//           mutex hand-off to the loop, plus an eventfd write only when the loop sleeps. A
//           worker that runs out of work spins for up to 50 us before it sleeps (one worker
//           at a time), and a loop with work away and no descriptor to watch spins for up to
//           20 us (EventLoop::wait_for_work), so back-to-back hops find both sides awake: no
//           system call per hop then (io/pipeline's corio_mt: 6 per item before, ~0 now).
// Example:  runtime/tests/thread_pool_test.cpp
//
//   corio::ThreadPool pool(4);
//   Task<long> checksum(corio::ThreadPool& pool, std::vector<char> data) {
//     corio::EventLoop& loop = corio::EventLoop::require_current("checksum");
//     co_await pool.schedule();          // on a worker from here
//     long sum = std::accumulate(data.begin(), data.end(), 0L);
//     co_await corio::resume_on(loop);   // back on the loop (a throw above must come back too)
//     co_return sum;
//   }
//   // or simply: co_await pool.run([&data] { return std::accumulate(...); });
class ThreadPool {
 public:
  // Starts `threads` workers; throws std::invalid_argument for 0, std::system_error if a
  // thread cannot be started.
  explicit ThreadPool(std::size_t threads);
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;
  // Runs what is queued, then joins the workers.
  ~ThreadPool();

  [[nodiscard]] std::size_t size() const noexcept { return threads_.size(); }

  class [[nodiscard]] ScheduleAwaiter {
   public:
    explicit ScheduleAwaiter(ThreadPool& pool) noexcept : pool_(&pool) {}
    ScheduleAwaiter(const ScheduleAwaiter&) = delete;
    ScheduleAwaiter& operator=(const ScheduleAwaiter&) = delete;

    [[nodiscard]] bool await_ready() const noexcept { return false; }
    template <class Promise>
    bool await_suspend(std::coroutine_handle<Promise> awaiting) {
      if (EventLoop* loop = detail::running_loop()) {
        // On the loop: this is a suspension point like any other.
        detail::TaskCore* core = detail::core_of(awaiting);
        if (core != nullptr && core->take_pending_cancel()) {
          cancelled_ = true;
          return false;
        }
        job_.home = loop;
        loop->begin_remote_operation();
      } else {
        // From a worker (of this pool or another): carry the home loop along.
        job_.home = detail::leave_worker();
      }
      job_.handle = awaiting;
      pool_->push(job_);  // a worker may resume the coroutine at once: touch nothing after
      return true;
    }
    void await_resume() const {
      if (cancelled_) throw CancelledError{};
    }

   private:
    ThreadPool* pool_;
    detail::PoolJob job_;
    bool cancelled_ = false;
  };

  // `co_await pool.schedule()`: continue the awaiting coroutine on one of the workers.
  ScheduleAwaiter schedule() noexcept { return ScheduleAwaiter{*this}; }

  // Runs f() on a worker and returns its value (or rethrows its exception) on the loop that
  // awaited it. Like to_thread(f), but on this pool's threads. Cancellation: f runs to its
  // end, then CancelledError is raised and its result dropped. Cost: one frame.
  template <class F>
  Task<std::invoke_result_t<std::decay_t<F>&>> run(F function);

 private:
  void push(detail::PoolJob& job) noexcept;
  void work() noexcept;

  // A hop's shared state in one cache line (the mutex is 40 bytes): a spinning worker sees
  // head_ change and takes the mutex without a second line coming over from the pushing core.
  alignas(64) std::mutex mutex_;
  // Written under mutex_; atomic so that a spinning worker may look at it without the mutex.
  std::atomic<detail::PoolJob*> head_{nullptr};
  detail::PoolJob* tail_ = nullptr;
  // A worker spins for work instead of sleeping: at most one at a time, so that a spinning
  // worker does not take a core from a busy one.
  std::atomic<bool> spinning_{false};
  bool stopping_ = false;
  std::uint32_t idle_ = 0;  // workers asleep on work_ready_
  std::condition_variable work_ready_;
  std::atomic<std::size_t> pushing_{0};  // push() calls still running (see ~ThreadPool)
  // How long a worker that ran out of work waits awake for more before it sleeps.
  static constexpr std::int64_t kWorkerSpinNs = 50'000;
  std::vector<std::thread> threads_;
};

// `co_await corio::resume_on(loop)`: hand the coroutine back to `loop`, the loop it left
// through ThreadPool::schedule(). Already on that loop's thread: does not suspend. Throws
// std::logic_error if the coroutine did not come from `loop` (a task cannot move between
// loops). Raises CancelledError, once back, if the task was cancelled while away.
class [[nodiscard]] ResumeOnAwaiter : private detail::RemoteCompletion {
 public:
  explicit ResumeOnAwaiter(EventLoop& loop) noexcept : loop_(&loop) {
    complete = &ResumeOnAwaiter::complete_on_loop;
  }
  ResumeOnAwaiter(const ResumeOnAwaiter&) = delete;
  ResumeOnAwaiter& operator=(const ResumeOnAwaiter&) = delete;

  [[nodiscard]] bool await_ready() const noexcept { return false; }
  template <class Promise>
  bool await_suspend(std::coroutine_handle<Promise> awaiting) {
    const EventLoop* here = detail::running_loop();
    if (here == loop_) return false;  // already home
    const EventLoop* home = detail::worker_home();
    if (here != nullptr || home != loop_) detail::throw_not_home(here, home);
    detail::leave_worker();
    core_ = detail::core_of(awaiting);
    handle_ = awaiting;
    hopped_ = true;
    loop_->post_remote(*this);  // the loop may resume the coroutine at once: touch nothing after
    return true;
  }
  void await_resume() const {
    // Back on the loop thread: the cancellation state is ours to read again.
    if (hopped_ && core_ != nullptr && core_->take_pending_cancel()) throw CancelledError{};
  }

 private:
  static void complete_on_loop(detail::RemoteCompletion* completion) noexcept {
    auto& self = static_cast<ResumeOnAwaiter&>(*completion);
    self.loop_->schedule(self.handle_);
  }

  EventLoop* loop_;
  detail::TaskCore* core_ = nullptr;
  std::coroutine_handle<> handle_;
  bool hopped_ = false;
};

inline ResumeOnAwaiter resume_on(EventLoop& loop) noexcept { return ResumeOnAwaiter{loop}; }

namespace detail {
// The outcome of work done on a worker, kept until the coroutine is back on its loop.
template <class T>
struct PoolOutcome {
  std::optional<NonVoid<T>> value;
  std::exception_ptr error;

  T take() {
    if (error) std::rethrow_exception(error);
    if constexpr (!std::is_void_v<T>) return std::move(*value);
  }
};
}  // namespace detail

template <class F>
Task<std::invoke_result_t<std::decay_t<F>&>> ThreadPool::run(F function) {
  using Result = std::invoke_result_t<std::decay_t<F>&>;
  EventLoop& home = EventLoop::require_current("corio::ThreadPool::run()");
  detail::PoolOutcome<Result> outcome;
  co_await schedule();
  try {
    if constexpr (std::is_void_v<Result>) {
      std::invoke(function);
    } else {
      outcome.value.emplace(std::invoke(function));
    }
  } catch (...) {
    outcome.error = std::current_exception();
  }
  co_await resume_on(home);
  co_return outcome.take();
}

// Runs `task` on one of the pool's workers and returns its value (or rethrows its exception)
// on the loop that awaited on_pool(). The task may await other Tasks and schedule() on any
// pool, but nothing that needs a loop (see the header comment). Cancellation: the task runs
// to its end, then CancelledError is raised and its result dropped. Cost: one frame.
template <class T>
Task<T> on_pool(ThreadPool& pool, Task<T> task) {
  EventLoop& home = EventLoop::require_current("corio::on_pool()");
  detail::PoolOutcome<T> outcome;
  co_await pool.schedule();
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(task);
    } else {
      outcome.value.emplace(co_await std::move(task));
    }
  } catch (...) {
    outcome.error = std::current_exception();
  }
  co_await resume_on(home);
  co_return outcome.take();
}

}  // namespace corio
