#pragma once
// What every corio coroutine shares: the task it belongs to and how it is cancelled.
//
//   corio::detail::TaskCore      one asyncio "Task": a chain of coroutines awaiting each other,
//                                with one cancellation state
//   corio::detail::CancelHook    installed by a suspended operation so cancel() can wake it
//   corio::detail::PromiseBase   base of every corio promise: continuation, task, frame pool
//   corio::detail::core_of(h)    the task of a suspending coroutine (nullptr if not corio's)
//
// Cancellation protocol. A coroutine suspended at a cancellable operation installs a
// CancelHook in its TaskCore. TaskCore::request_cancel() takes the hook and calls it; the hook
// removes the waiter from whatever it waits on and schedules it to resume with CancelledError.
// Hooks only ever schedule, never resume inline, so cancel() is safe to call from anywhere on
// the loop thread. With no hook installed (the task is running, or already woken), the request
// stays pending and the next suspension throws CancelledError instead of suspending. Either
// way a request is delivered once; code that catches CancelledError may await again (cleanup).

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include <corio/detail/frame_allocator.hpp>

namespace corio::detail {

struct CancelHook {
  void (*on_cancel)(CancelHook* self) noexcept;
};

class TaskCore {
 public:
  TaskCore() = default;
  TaskCore(const TaskCore&) = delete;
  TaskCore& operator=(const TaskCore&) = delete;

  // Returns true if the request was taken (it always is, once per request).
  void request_cancel() noexcept {
    if (CancelHook* hook = std::exchange(hook_, nullptr)) {
      hook->on_cancel(hook);
    } else {
      cancel_pending_ = true;
    }
  }

  // At a suspension point: true means "do not suspend, throw CancelledError".
  // Reads before it writes: std::exchange stored the false at every suspension and resumption
  // (one instruction each, callgrind), where a request is rare.
  [[nodiscard]] bool take_pending_cancel() noexcept {
    if (!cancel_pending_) [[likely]]
      return false;
    cancel_pending_ = false;
    return true;
  }
  [[nodiscard]] bool cancel_pending() const noexcept { return cancel_pending_; }

  void install_hook(CancelHook* hook) noexcept { hook_ = hook; }
  void clear_hook() noexcept { hook_ = nullptr; }

  // The root coroutine of this task finished (its promise holds the result); returns the
  // coroutine to transfer to (symmetric transfer), or std::noop_coroutine().
  virtual std::coroutine_handle<> on_root_done() noexcept = 0;

 protected:
  ~TaskCore() = default;

 private:
  CancelHook* hook_ = nullptr;

 protected:
  // The subclasses' reference count and flags. Declared here, between the hook and the cancel
  // flag, they fill what would be padding, so that a spawned task's bookkeeping fits a 64-byte
  // block (spawn_test.cpp checks: with a million sleeping tasks, 16 bytes each is 16 MB) and a
  // gather child of a 64-bit result 40 bytes (gather_test.cpp).
  std::uint32_t spawn_refs_ = 2;  // SpawnedTaskBase

 private:
  bool cancel_pending_ = false;

 protected:
  bool root_done_ = false;         // on_root_done() ran
  bool spawn_retrieved_ = false;   // SpawnedTaskBase
  bool gather_has_value_ = false;  // GatherChild
};

struct PromiseBase {
  std::coroutine_handle<> continuation;  // who awaits this coroutine; null for a task's root
  TaskCore* core = nullptr;              // the task this coroutine runs in

  static void* operator new(std::size_t size) { return frame_allocate(size); }
  static void operator delete(void* ptr, std::size_t size) noexcept { frame_deallocate(ptr, size); }
};

template <class Promise>
[[nodiscard]] TaskCore* core_of(std::coroutine_handle<Promise> handle) noexcept {
  if constexpr (std::is_base_of_v<PromiseBase, Promise>) {
    return handle.promise().core;
  } else {
    return nullptr;
  }
}

// Final awaiter shared by Task and Generator: hand control to the awaiting coroutine, or, for
// a task's root, let the task decide (wake its joiner, its group, its gather).
struct FinalAwaiter {
  [[nodiscard]] bool await_ready() const noexcept { return false; }
  template <class Promise>
  std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) noexcept {
    PromiseBase& promise = self.promise();
    if (promise.continuation) return promise.continuation;
    if (promise.core != nullptr) return promise.core->on_root_done();
    return std::noop_coroutine();
  }
  void await_resume() const noexcept {}
};

}  // namespace corio::detail
