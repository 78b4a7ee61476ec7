#pragma once
// corio::Generator<T>: an async generator, a coroutine that both co_awaits and co_yields.
//
//   corio::Generator<int> ticks(int n) {
//     for (int i = 0; i < n; ++i) { co_await corio::sleep(10ms); co_yield i; }
//   }
//   auto gen = ticks(3);
//   while (auto v = co_await gen.next()) use(*v);
//
// Starts:   lazily; each next() runs the body until its next co_yield (a value), its end
//           (std::nullopt) or an exception (rethrown from next()).
// Resumes:  the consumer, by symmetric transfer from co_yield or the end.
// Cancellation: the body runs inside the consuming task, so whatever it awaits is cancelled
//           with that task; the exception comes out of next().
// Lifetime: destroying the generator destroys its suspended body (its destructors run).
// Thread safety: one consumer at a time; loop thread only.
// Cost:     one frame; a yielded value is moved once into the generator and once out.
// Example:  runtime/examples/async_generator.cpp

#include <cassert>
#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

#include <corio/detail/task_core.hpp>

namespace corio {

template <class T>
class [[nodiscard]] Generator {
 public:
  struct promise_type : detail::PromiseBase {
    std::optional<T> value;
    std::exception_ptr error;

    Generator get_return_object() noexcept {
      return Generator{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() const noexcept { return {}; }
    detail::FinalAwaiter final_suspend() const noexcept { return {}; }

    struct YieldAwaiter {
      [[nodiscard]] bool await_ready() const noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> self) noexcept {
        return self.promise().continuation;
      }
      void await_resume() const noexcept {}
    };
    template <class U>
    YieldAwaiter yield_value(U&& item) {
      value.emplace(std::forward<U>(item));
      return {};
    }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { error = std::current_exception(); }
  };
  using Handle = std::coroutine_handle<promise_type>;

  Generator(Generator&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Generator& operator=(Generator&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;
  ~Generator() {
    if (handle_) handle_.destroy();
  }

  class [[nodiscard]] NextAwaiter {
   public:
    explicit NextAwaiter(Handle handle) noexcept : handle_(handle) {}
    [[nodiscard]] bool await_ready() const noexcept { return handle_.done(); }
    template <class Promise>
    Handle await_suspend(std::coroutine_handle<Promise> consumer) noexcept {
      promise_type& promise = handle_.promise();
      promise.value.reset();
      promise.continuation = consumer;
      promise.core = detail::core_of(consumer);
      return handle_;
    }
    std::optional<T> await_resume() {
      promise_type& promise = handle_.promise();
      if (promise.error) std::rethrow_exception(std::exchange(promise.error, nullptr));
      if (handle_.done()) return std::nullopt;
      return std::move(promise.value);
    }

   private:
    Handle handle_;
  };

  // The next value, or std::nullopt once the body has finished.
  NextAwaiter next() noexcept {
    assert(handle_ && "next() on an empty corio::Generator");
    return NextAwaiter{handle_};
  }

 private:
  explicit Generator(Handle handle) noexcept : handle_(handle) {}
  Handle handle_;
};

}  // namespace corio
