#pragma once
// corio::spawn and corio::JoinHandle<T>: start a task that runs concurrently (create_task).
//
// Starts:   spawn() schedules the task at once; it first runs when the spawning coroutine next
//           suspends (asyncio.create_task), in spawn order.
// Resumes:  `co_await handle` resumes the awaiter right when the task finishes (symmetric
//           transfer, no trip through the ready queue) with its value or its exception.
// Cancellation: handle.cancel() delivers CancelledError at the task's current suspension point,
//           or at its next one if it is running or already woken. Cancelling a coroutine that
//           awaits a JoinHandle also cancels the awaited task (asyncio's rule) and keeps waiting
//           for it to finish.
// Lifetime: dropping the handle detaches the task; it keeps running. A task that failed and
//           whose exception nobody retrieved reports it on stderr when it is freed.
// Thread safety: loop thread only.
// Cost:     the task's frame plus one 64-byte pooled block; no allocation per wake-up.
// Example:  runtime/examples/spawn_vs_gather.cpp

#include <cassert>
#include <coroutine>
#include <exception>
#include <stdexcept>
#include <utility>

#include <corio/detail/spawned_task.hpp>
#include <corio/errors.hpp>
#include <corio/event_loop.hpp>
#include <corio/task.hpp>

namespace corio {

namespace detail {

template <class T>
class SpawnedTask final : public SpawnedTaskBase {
 public:
  explicit SpawnedTask(Task<T> task) noexcept : task_(std::move(task)) {
    auto& promise = task_.handle().promise();
    promise.core = this;
    promise.continuation = {};
  }

  [[nodiscard]] std::coroutine_handle<> start_handle() const noexcept { return task_.handle(); }
  [[nodiscard]] std::exception_ptr exception() const noexcept override {
    return task_.handle().promise().exception();
  }
  T take_result() {
    mark_retrieved();
    return task_.handle().promise().take_result();
  }
  void destroy_coroutine() noexcept override { task_ = Task<T>{}; }

 private:
  ~SpawnedTask() override {
    if (!spawn_retrieved_ && task_.valid() && done()) report_if_unretrieved();
  }

  Task<T> task_;
};

}  // namespace detail

template <class T>
class JoinHandle {  // not [[nodiscard]]: dropping it detaches, a legitimate use
 public:
  JoinHandle() noexcept = default;
  explicit JoinHandle(detail::SpawnedTask<T>* task) noexcept : task_(task) {}
  JoinHandle(JoinHandle&& other) noexcept : task_(std::exchange(other.task_, nullptr)) {}
  JoinHandle& operator=(JoinHandle&& other) noexcept {
    if (this != &other) {
      reset();
      task_ = std::exchange(other.task_, nullptr);
    }
    return *this;
  }
  JoinHandle(const JoinHandle&) = delete;
  JoinHandle& operator=(const JoinHandle&) = delete;
  ~JoinHandle() { reset(); }

  [[nodiscard]] bool valid() const noexcept { return task_ != nullptr; }
  [[nodiscard]] bool done() const noexcept { return task_ != nullptr && task_->done(); }

  // Requests cancellation; returns false if the task had already finished.
  bool cancel() noexcept {
    if (task_ == nullptr || task_->done()) return false;
    task_->request_cancel();
    return true;
  }

  // The result of a finished task (value or rethrown exception), without awaiting. Consumes it.
  T result() {
    if (!done()) throw std::logic_error("corio::JoinHandle::result(): the task has not finished");
    return task_->take_result();
  }

  class Awaiter : private detail::Joiner, private detail::CancelHook {
   public:
    explicit Awaiter(detail::SpawnedTask<T>* task) noexcept
        : detail::CancelHook{&Awaiter::handle_cancel}, task_(task) {}
    Awaiter(const Awaiter&) = delete;
    Awaiter& operator=(const Awaiter&) = delete;
    ~Awaiter() {
      // A frame destroyed while waiting (loop shutdown) must not stay registered.
      if (task_ != nullptr && task_->joiner == this) task_->joiner = nullptr;
    }

    [[nodiscard]] bool await_ready() const noexcept { return task_->done(); }
    template <class Promise>
    bool await_suspend(std::coroutine_handle<Promise> awaiting) {
      if (task_->joiner != nullptr) {
        throw std::logic_error("corio::JoinHandle: the task is already being awaited");
      }
      core = detail::core_of(awaiting);
      handle = awaiting;
      task_->joiner = this;
      if (core != nullptr) core->install_hook(this);
      return true;
    }
    T await_resume() { return task_->take_result(); }

   private:
    // Cancelling the awaiter cancels the awaited task and keeps waiting for it (asyncio).
    static void handle_cancel(detail::CancelHook* hook) noexcept {
      auto& self = static_cast<Awaiter&>(*hook);
      self.task_->request_cancel();
      if (self.core != nullptr && !self.task_->done()) self.core->install_hook(&self);
    }

    detail::SpawnedTask<T>* task_;
  };

  Awaiter operator co_await() noexcept {
    assert(task_ != nullptr && "co_await on an empty corio::JoinHandle");
    return Awaiter{task_};
  }

 private:
  friend class TaskGroup;  // adopts the task it spawns
  friend class EventLoop;  // run_until_complete() runs the loop until the task is done
  template <class U>
  friend U run(Task<U> task);  // likewise
  void reset() noexcept {
    if (task_ != nullptr) std::exchange(task_, nullptr)->release();
  }

  detail::SpawnedTask<T>* task_ = nullptr;
};

template <class T>
JoinHandle<T> EventLoop::spawn(Task<T> task) {
  assert(task.valid() && "corio::spawn of an empty Task");
  auto* spawned = new detail::SpawnedTask<T>(std::move(task));
  register_task(*spawned);
  if (closing_) spawned->request_cancel();  // spawned during shutdown: cancel at first await
  schedule(spawned->start_handle());
  return JoinHandle<T>{spawned};
}

// Spawns on the calling thread's running loop; throws std::logic_error if there is none.
template <class T>
JoinHandle<T> spawn(Task<T> task) {
  return EventLoop::require_current("corio::spawn()").spawn(std::move(task));
}

}  // namespace corio
