#pragma once
// corio::EventLoop: one thread's scheduler (asyncio's event loop).
//
// Iteration order (see runtime/README.md): wait on epoll for I/O, for a wake-up from another
// thread, or until the earliest timer (not at all when coroutines are ready); move expired
// timers to the ready queue in deadline order; take completions posted by other threads; then
// resume the coroutines that were ready when the iteration began, first come first served.
// Coroutines made ready meanwhile wait for the next iteration, so no task starves the others
// or the reactor.
//
// Starts:   the loop runs only inside run() / run_until_complete(); it is current on its thread
//           while it exists (one per thread; a second one throws std::logic_error).
// Thread safety: everything is loop-thread only, except what other threads use internally
//           (post_remote, the blocking pool).
// Example:  runtime/examples/hello.cpp (through corio::run).

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>

#include <corio/detail/blocking_pool.hpp>
#include <corio/detail/intrusive_list.hpp>
#include <corio/detail/poller.hpp>
#include <corio/detail/ready_queue.hpp>
#include <corio/detail/spawned_task.hpp>
#include <corio/detail/timer_queue.hpp>
#include <corio/task.hpp>

namespace corio {

template <class T>
class JoinHandle;

class EventLoop;

namespace detail {
// Completion of work done on another thread, handed back to the loop thread.
struct RemoteCompletion {
  void (*complete)(RemoteCompletion* self) noexcept = nullptr;
  RemoteCompletion* next = nullptr;
};

inline thread_local constinit EventLoop* tls_current_loop = nullptr;
}  // namespace detail

class EventLoop {
 public:
  EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;
  // Cancels and drains tasks still running (shutdown()) and joins the blocking pool.
  ~EventLoop();

  // The loop of the calling thread, or nullptr.
  [[nodiscard]] static EventLoop* current() noexcept { return detail::tls_current_loop; }
  // The loop of the calling thread; throws std::logic_error naming `caller` if there is none.
  static EventLoop& require_current(const char* caller) {
    if (EventLoop* loop = detail::tls_current_loop) [[likely]]
      return *loop;
    throw_no_loop(caller);
  }

  // Schedules the task to start on this loop (asyncio's create_task). Defined in spawn.hpp.
  template <class T>
  JoinHandle<T> spawn(Task<T> task);

  // Runs the loop until the task finishes; returns its value or rethrows. Does not cancel
  // other tasks (run() does). Throws std::runtime_error if the task waits on something that
  // nothing can ever complete (no ready task, timer, I/O or thread left). Defined in run.hpp.
  template <class T>
  T run_until_complete(Task<T> task);

  // Cancels every task still running, runs the loop until they finish, and destroys any that
  // are stuck waiting on something nothing will complete. Idempotent.
  void shutdown() noexcept;

  // Diagnostics: timers armed, spawned tasks not yet finished (outside any TaskGroup: a
  // group keeps its own children), coroutines ready to run.
  [[nodiscard]] std::size_t pending_timers() const noexcept { return timers_.size(); }
  [[nodiscard]] std::size_t running_tasks() const noexcept { return tasks_.size(); }
  [[nodiscard]] std::size_t ready_count() const noexcept { return ready_.size(); }

  // Monotonic time in nanoseconds (CLOCK_MONOTONIC).
  [[nodiscard]] static std::int64_t now_ns() noexcept;

  // --- for corio's own awaitables (not part of the user-facing API) ---

  void schedule(std::coroutine_handle<> handle) { ready_.push(handle); }
  void add_timer(detail::TimerNode& node) { timers_.add(node); }
  // node.deadline_ns holds a duration, counted from a clock reading taken after the current
  // chunk of 16 resumes or after the next 255 sleeps, whichever comes first (event_loop.cpp).
  void add_timer_after(detail::TimerNode& node) {
    if (timers_.add_after(node)) timers_.commit_pending(now_ns());
  }
  void remove_timer(detail::TimerNode& node) noexcept { timers_.remove(node); }

  // Work running on another thread whose completion will come back through post_remote().
  void begin_remote_operation() noexcept { ++remote_pending_; }
  // Thread-safe. The loop thread calls completion->complete() soon after.
  void post_remote(detail::RemoteCompletion& completion) noexcept;

  detail::BlockingPool& blocking_pool();
  detail::Poller& poller() noexcept { return *poller_; }
  // Descriptors with a coroutine waiting on them (counted so a deadlock can be told apart).
  void add_io_waiter() noexcept { ++io_waiters_; }
  void remove_io_waiter() noexcept { --io_waiters_; }

  // The registry of running tasks that belong to no TaskGroup (run()'s shutdown cancels them).
  // Inline: every spawn() registers, and a call cost more than the four stores it makes.
  void register_task(detail::SpawnedTaskBase& task) noexcept { tasks_.push_back(task); }
  void unregister_task(detail::SpawnedTaskBase& task) noexcept {
    static_cast<detail::RegistryHook&>(task).unlink();
  }
  [[nodiscard]] bool closing() const noexcept { return closing_; }

  // Runs one iteration (see the header comment).
  void run_once();
  // Runs iterations until `task` has finished: run() and run_until_complete(). Throws
  // std::runtime_error when nothing is ready and nothing can become ready (a deadlock).
  void run_until_done(const detail::SpawnedTaskBase& task);
  // False when nothing is ready and nothing can become ready: no timer, I/O or remote work.
  [[nodiscard]] bool can_progress() const noexcept {
    return !ready_.empty() || !timers_.empty() || remote_pending_ > 0 || io_waiters_ > 0;
  }

 private:
  [[noreturn]] static void throw_no_loop(const char* caller);
  // Nothing is ready: wait for a timer, I/O or work coming back from another thread.
  void wait_for_work();
  void fire_expired_timers();
  void drain_remote();
  void destroy_stuck_tasks() noexcept;
  // run_once()'s body, inlined into run_until_done()'s loop (event_loop.cpp).
  void run_iteration();

  detail::ReadyQueue ready_;
  detail::TimerQueue timers_;
  detail::IntrusiveList<detail::SpawnedTaskBase, detail::RegistryHook> tasks_;
  std::unique_ptr<detail::Poller> poller_;

  std::size_t remote_pending_ = 0;
  std::size_t io_waiters_ = 0;
  bool closing_ = false;
  std::unique_ptr<detail::BlockingPool> blocking_pool_;

  // What other threads touch to hand work back, in one cache line of its own: a hand-off
  // then moves one line between the cores instead of several (the loop spins on
  // remote_posted_ and takes the mutex right after), and the loop's own fields above do not
  // bounce with it.
  alignas(64) std::mutex remote_mutex_;
  detail::RemoteCompletion* remote_head_ = nullptr;
  detail::RemoteCompletion* remote_tail_ = nullptr;
  std::atomic<bool> remote_posted_{false};
  std::atomic<bool> sleeping_{false};  // in (or about to enter) a blocking poller wait
  // How long the loop waits awake for work away on another thread before it sleeps.
  static constexpr std::int64_t kRemoteSpinNs = 20'000;
};

namespace detail {
inline EventLoop& current_loop() noexcept { return *tls_current_loop; }
}  // namespace detail

}  // namespace corio
