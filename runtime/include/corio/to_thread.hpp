#pragma once
// corio::to_thread(f): run a blocking function on a pool thread (asyncio.to_thread).
//
// Starts:   lazily; when awaited, f is queued to the loop's blocking pool (at most
//           min(32, cores + 4) threads, started on demand) and the loop goes on serving other
//           tasks meanwhile.
// Resumes:  on the loop thread, after f returned, with its value or its exception.
// Cancellation: a running f cannot be interrupted. Cancelling the awaiting task makes it raise
//           CancelledError as soon as f returns; f's result is dropped. run() waits for
//           running functions before it returns.
// Thread safety: f runs on another thread: it must not touch loop-thread-only objects.
// Cost:     one frame, a mutex hand-off to the pool and one back (an eventfd write wakes the
//           loop if it sleeps).
// Example:  runtime/examples/async_context_manager.cpp

#include <coroutine>
#include <exception>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

#include <corio/detail/blocking_pool.hpp>
#include <corio/detail/task_core.hpp>
#include <corio/errors.hpp>
#include <corio/event_loop.hpp>
#include <corio/task.hpp>

namespace corio {

namespace detail {

template <class F>
class ToThread final : private BlockingJob, private RemoteCompletion, private CancelHook {
 public:
  using Result = std::invoke_result_t<F&>;

  explicit ToThread(F function)
      : CancelHook{&ToThread::handle_cancel}, function_(std::move(function)) {
    BlockingJob::run = &ToThread::run_on_pool;
    RemoteCompletion::complete = &ToThread::complete_on_loop;
  }
  ToThread(const ToThread&) = delete;
  ToThread& operator=(const ToThread&) = delete;

  [[nodiscard]] bool await_ready() const noexcept { return false; }
  template <class Promise>
  bool await_suspend(std::coroutine_handle<Promise> awaiting) {
    core_ = core_of(awaiting);
    if (core_ != nullptr && core_->take_pending_cancel()) {
      cancelled_ = true;
      return false;
    }
    loop_ = &EventLoop::require_current("corio::to_thread()");
    handle_ = awaiting;
    loop_->begin_remote_operation();
    loop_->blocking_pool().submit(*this);
    if (core_ != nullptr) core_->install_hook(this);
    return true;
  }
  Result await_resume() {
    if (cancelled_) throw CancelledError{};
    if (error_) std::rethrow_exception(error_);
    if constexpr (!std::is_void_v<Result>) return std::move(*value_);
  }

 private:
  static void run_on_pool(BlockingJob* job) noexcept {
    auto& self = static_cast<ToThread&>(*job);
    try {
      if constexpr (std::is_void_v<Result>) {
        std::invoke(self.function_);
      } else {
        self.value_.emplace(std::invoke(self.function_));
      }
    } catch (...) {
      self.error_ = std::current_exception();
    }
    self.loop_->post_remote(self);  // the mutex in post_remote orders the writes above
  }
  static void complete_on_loop(RemoteCompletion* completion) noexcept {
    auto& self = static_cast<ToThread&>(*completion);
    if (self.core_ != nullptr && !self.cancelled_) self.core_->clear_hook();
    self.loop_->schedule(self.handle_);
  }
  static void handle_cancel(CancelHook* hook) noexcept {
    // f keeps running; the task is resumed (with CancelledError) only when it returns.
    static_cast<ToThread&>(*hook).cancelled_ = true;
  }

  F function_;
  std::conditional_t<std::is_void_v<Result>, bool, std::optional<Result>> value_{};
  std::exception_ptr error_;
  EventLoop* loop_ = nullptr;
  TaskCore* core_ = nullptr;
  std::coroutine_handle<> handle_;
  bool cancelled_ = false;
};

}  // namespace detail

template <class F>
Task<std::invoke_result_t<std::decay_t<F>&>> to_thread(F function) {
  detail::ToThread<std::decay_t<F>> job(std::move(function));
  co_return co_await job;
}

}  // namespace corio
