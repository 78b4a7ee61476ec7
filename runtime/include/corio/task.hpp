#pragma once
// corio::Task<T>: a coroutine that produces a T (asyncio's `async def`).
//
// Starts:   lazily. Creating a Task runs nothing; `co_await task` starts it, or spawn(),
//           gather(), wait_for() and run() do.
// Resumes:  the awaiter is resumed by the task's own completion through symmetric transfer, on
//           the thread the task finished on; a chain of a million nested awaits uses no stack.
// Result:   `co_await std::move(task)` gives the value or rethrows the task's exception.
//           `void` tasks give nothing.
// Cancellation: a Task runs inside the task (JoinHandle) that awaits it, and shares its
//           cancellation: CancelledError arrives at whatever it is suspended on.
// Thread safety: a Task is a value owned by one coroutine at a time; move-only.
// Cost:     one frame allocation from the recycling frame pool; no other allocation.
// Example:  runtime/examples/hello.cpp

#include <cassert>
#include <coroutine>
#include <exception>
#include <type_traits>
#include <utility>
#include <variant>

#include <corio/detail/task_core.hpp>

namespace corio {

template <class T = void>
class Task;

namespace detail {

// Where a coroutine's outcome is kept until its awaiter takes it.
template <class T>
class ResultSlot {
 public:
  template <class U>
  void return_value(U&& value) noexcept(std::is_nothrow_constructible_v<T, U&&>) {
    result_.template emplace<1>(std::forward<U>(value));
  }
  void unhandled_exception() noexcept { result_.template emplace<2>(std::current_exception()); }

  [[nodiscard]] std::exception_ptr exception() const noexcept {
    return result_.index() == 2 ? std::get<2>(result_) : nullptr;
  }
  T take_result() {
    if (result_.index() == 2) std::rethrow_exception(std::get<2>(result_));
    return value();
  }
  // The returned value, for a caller that has seen exception() be null: no checks left.
  T&& value() noexcept {
    assert(result_.index() == 1);
    return std::move(*std::get_if<1>(&result_));
  }

 private:
  std::variant<std::monostate, T, std::exception_ptr> result_;
};

template <>
class ResultSlot<void> {
 public:
  void return_void() noexcept {}
  void unhandled_exception() noexcept { exception_ = std::current_exception(); }
  [[nodiscard]] std::exception_ptr exception() const noexcept { return exception_; }
  void take_result() const {
    if (exception_) std::rethrow_exception(exception_);
  }

 private:
  std::exception_ptr exception_;
};

template <class T>
struct TaskPromise : PromiseBase, ResultSlot<T> {
  Task<T> get_return_object() noexcept;
  std::suspend_always initial_suspend() const noexcept { return {}; }
  FinalAwaiter final_suspend() const noexcept { return {}; }
};

}  // namespace detail

template <class T>
class [[nodiscard]] Task {
 public:
  using promise_type = detail::TaskPromise<T>;
  using value_type = T;
  using Handle = std::coroutine_handle<promise_type>;

  Task() noexcept = default;
  explicit Task(Handle handle) noexcept : handle_(handle) {}
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { reset(); }

  [[nodiscard]] bool valid() const noexcept { return static_cast<bool>(handle_); }

  class Awaiter {
   public:
    explicit Awaiter(Handle handle) noexcept : handle_(handle) {}
    [[nodiscard]] bool await_ready() const noexcept { return false; }
    template <class Promise>
    Handle await_suspend(std::coroutine_handle<Promise> awaiting) noexcept {
      promise_type& promise = handle_.promise();
      promise.continuation = awaiting;
      promise.core = detail::core_of(awaiting);
      return handle_;
    }
    T await_resume() { return handle_.promise().take_result(); }

   private:
    Handle handle_;
  };

  Awaiter operator co_await() && noexcept {
    assert(handle_ && "co_await on an empty (moved-from) corio::Task");
    return Awaiter{handle_};
  }
  Awaiter operator co_await() & noexcept {
    assert(handle_ && "co_await on an empty (moved-from) corio::Task");
    return Awaiter{handle_};
  }

  // For corio's own machinery (spawn, gather, wait_for): the coroutine, still owned.
  [[nodiscard]] Handle handle() const noexcept { return handle_; }

 private:
  void reset() noexcept {
    if (handle_) std::exchange(handle_, {}).destroy();
  }

  Handle handle_;
};

template <class T>
Task<T> detail::TaskPromise<T>::get_return_object() noexcept {
  return Task<T>{std::coroutine_handle<TaskPromise>::from_promise(*this)};
}

namespace detail {
// The value a Task<T> contributes to a tuple or vector: void becomes std::monostate.
template <class T>
using NonVoid = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

// The outcome of a slot whose exception() is null, as take_non_void would give it.
template <class T>
NonVoid<T> take_returned_value(ResultSlot<T>& slot) noexcept(
    std::is_void_v<T> || std::is_nothrow_move_constructible_v<T>) {
  if constexpr (std::is_void_v<T>) {
    return std::monostate{};
  } else {
    return slot.value();
  }
}

template <class T>
NonVoid<T> take_non_void(ResultSlot<T>& slot) {
  if constexpr (std::is_void_v<T>) {
    slot.take_result();
    return std::monostate{};
  } else {
    return slot.take_result();
  }
}
}  // namespace detail

}  // namespace corio
