#pragma once
// corio::sleep(duration) and corio::yield_now(): give up the thread for a while (asyncio.sleep).
//
// Starts:   when awaited. sleep() always suspends, even for zero or negative durations (then it
//           acts like yield_now()).
// Resumes:  by the loop, once the duration has passed; timers fire in deadline order and in
//           the order they were started among equal deadlines. The duration counts from a
//           clock reading the loop takes after the chunk of (at most 16) resumes that started
//           the sleep, or after 255 more sleeps started in one resume (gather starting its
//           children): never shorter than asked, later by at most 15 other coroutines' turns,
//           not by the rest of a long batch. yield_now() resumes after every
//           coroutine that was already ready has had its turn.
// Cancellation: a sleeping task is woken with CancelledError at once and its timer removed. A
//           cancel() that arrives after the timer fired but before the task ran is also
//           raised here (nothing is lost by it).
// Thread safety: loop thread only.
// Cost:     no allocation: the timer node lives in the awaiting frame (plus one 8-byte heap
//           slot); no clock reading of its own.
// Example:  runtime/examples/hello.cpp

#include <chrono>
#include <coroutine>
#include <cstdint>

#include <corio/detail/task_core.hpp>
#include <corio/detail/timer_queue.hpp>
#include <corio/errors.hpp>
#include <corio/event_loop.hpp>

namespace corio {

class [[nodiscard]] SleepAwaiter : private detail::TimerNode, private detail::CancelHook {
 public:
  explicit SleepAwaiter(std::chrono::nanoseconds duration) noexcept
      : detail::CancelHook{&SleepAwaiter::handle_cancel} {
    fire = &SleepAwaiter::on_fire;
    // Holds the duration until await_suspend turns it into the deadline: one field less in
    // every sleeping frame (a million sleeping tasks are a million of these).
    deadline_ns = duration.count();
  }
  SleepAwaiter(const SleepAwaiter&) = delete;
  SleepAwaiter& operator=(const SleepAwaiter&) = delete;
  ~SleepAwaiter() {
    if (queued()) detail::current_loop().remove_timer(*this);  // frame destroyed while asleep
  }

  [[nodiscard]] bool await_ready() const noexcept { return false; }
  template <class Promise>
  bool await_suspend(std::coroutine_handle<Promise> awaiting) {
    core_ = detail::core_of(awaiting);
    if (core_ != nullptr && core_->take_pending_cancel()) {
      owner_flag = true;
      return false;
    }
    EventLoop& loop = EventLoop::require_current("corio::sleep()");
    handle_ = awaiting;
    loop.add_timer_after(*this);  // deadline_ns holds the duration
    if (core_ != nullptr) core_->install_hook(this);
    return true;
  }
  void await_resume() {
    if (owner_flag || (core_ != nullptr && core_->take_pending_cancel())) throw CancelledError{};
  }

 private:
  static void on_fire(detail::TimerNode* node) noexcept {
    auto& self = static_cast<SleepAwaiter&>(*node);
    if (self.core_ != nullptr) self.core_->clear_hook();
    detail::current_loop().schedule(self.handle_);
  }
  static void handle_cancel(detail::CancelHook* hook) noexcept {
    auto& self = static_cast<SleepAwaiter&>(*hook);
    EventLoop& loop = detail::current_loop();
    loop.remove_timer(self);
    self.owner_flag = true;
    loop.schedule(self.handle_);
  }

  // Timers fire and cancellations arrive on the loop thread: the loop is the current one.
  detail::TaskCore* core_ = nullptr;
  std::coroutine_handle<> handle_;
};

template <class Rep, class Period>
SleepAwaiter sleep(std::chrono::duration<Rep, Period> duration) noexcept {
  return SleepAwaiter{std::chrono::duration_cast<std::chrono::nanoseconds>(duration)};
}

class [[nodiscard]] YieldAwaiter {
 public:
  [[nodiscard]] bool await_ready() const noexcept { return false; }
  template <class Promise>
  bool await_suspend(std::coroutine_handle<Promise> awaiting) {
    core_ = detail::core_of(awaiting);
    if (core_ != nullptr && core_->cancel_pending()) return false;
    EventLoop::require_current("corio::yield_now()").schedule(awaiting);
    return true;
  }
  void await_resume() {
    if (core_ != nullptr && core_->take_pending_cancel()) throw CancelledError{};
  }

 private:
  detail::TaskCore* core_ = nullptr;
};

inline YieldAwaiter yield_now() noexcept { return {}; }

}  // namespace corio
