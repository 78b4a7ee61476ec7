#pragma once
// corio::wait_for(task, timeout): a task with a deadline (asyncio.wait_for).
//
// Starts:   lazily; when awaited the inner task runs at once until its first suspension, and
//           a timer is armed only if it did not finish there.
// Resumes:  with the inner task's value or exception if it finishes in time. At the deadline
//           the inner task is cancelled, and wait_for waits until it has finished (its
//           destructors and cleanup have run) before throwing corio::TimeoutError. If the inner
//           task swallows the cancellation and returns a value, that value is returned.
// Cancellation: cancelling the awaiting task cancels the inner one, waits for it, and raises
//           CancelledError.
// Thread safety: loop thread only.
// Cost:     one frame for wait_for, one timer node inside it; no other allocation.

#include <chrono>
#include <coroutine>
#include <exception>
#include <type_traits>
#include <utility>

#include <corio/detail/task_core.hpp>
#include <corio/detail/timer_queue.hpp>
#include <corio/errors.hpp>
#include <corio/event_loop.hpp>
#include <corio/task.hpp>

namespace corio {

namespace detail {

template <class T>
class WaitFor final : public TaskCore, private TimerNode, private CancelHook {
 public:
  WaitFor(Task<T> task, std::chrono::nanoseconds timeout) noexcept
      : CancelHook{&WaitFor::handle_cancel}, task_(std::move(task)), timeout_(timeout) {
    fire = &WaitFor::on_timeout;
  }
  WaitFor(const WaitFor&) = delete;
  WaitFor& operator=(const WaitFor&) = delete;
  ~WaitFor() {
    if (queued()) loop_->remove_timer(*this);
  }

  [[nodiscard]] bool await_ready() const noexcept { return false; }
  template <class Promise>
  bool await_suspend(std::coroutine_handle<Promise> awaiting) {
    parent_core_ = core_of(awaiting);
    if (parent_core_ != nullptr && parent_core_->take_pending_cancel()) {
      parent_cancelled_ = true;
      return false;
    }
    loop_ = &EventLoop::require_current("corio::wait_for()");
    auto& promise = task_.handle().promise();
    promise.core = this;
    promise.continuation = {};
    task_.handle().resume();
    if (done_) return false;
    deadline_ns = EventLoop::now_ns() + timeout_.count();
    loop_->add_timer(*this);
    parent_ = awaiting;
    if (parent_core_ != nullptr) parent_core_->install_hook(this);
    return true;
  }
  NonVoid<T> await_resume() {
    if (parent_cancelled_) throw CancelledError{};
    if (timed_out_ && is_cancellation_error()) throw TimeoutError{};
    return take_non_void(task_.handle().promise());
  }

  std::coroutine_handle<> on_root_done() noexcept override {
    done_ = true;
    if (queued()) loop_->remove_timer(*this);
    if (!parent_) return std::noop_coroutine();  // finished during the eager start
    if (parent_core_ != nullptr) parent_core_->clear_hook();
    return std::exchange(parent_, {});
  }

 private:
  [[nodiscard]] bool is_cancellation_error() const {
    std::exception_ptr error = task_.handle().promise().exception();
    if (!error) return false;
    try {
      std::rethrow_exception(error);
    } catch (const CancelledError&) {
      return true;
    } catch (...) {
      return false;
    }
  }
  static void on_timeout(TimerNode* node) noexcept {
    auto& self = static_cast<WaitFor&>(*node);
    self.timed_out_ = true;
    self.request_cancel();  // the parent resumes when the inner task has finished
  }
  static void handle_cancel(CancelHook* hook) noexcept {
    auto& self = static_cast<WaitFor&>(*hook);
    self.parent_cancelled_ = true;
    if (self.queued()) self.loop_->remove_timer(self);
    self.request_cancel();
  }

  Task<T> task_;
  std::chrono::nanoseconds timeout_;
  EventLoop* loop_ = nullptr;
  std::coroutine_handle<> parent_;
  TaskCore* parent_core_ = nullptr;
  bool done_ = false;
  bool timed_out_ = false;
  bool parent_cancelled_ = false;
};

}  // namespace detail

template <class T, class Rep, class Period>
Task<T> wait_for(Task<T> task, std::chrono::duration<Rep, Period> timeout) {
  detail::WaitFor<T> waiter(std::move(task),
                            std::chrono::duration_cast<std::chrono::nanoseconds>(timeout));
  if constexpr (std::is_void_v<T>) {
    co_await waiter;
  } else {
    co_return co_await waiter;
  }
}

}  // namespace corio
