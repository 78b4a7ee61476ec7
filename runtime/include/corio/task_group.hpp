#pragma once
// corio::TaskGroup: structured concurrency (asyncio.TaskGroup).
//
//   TaskGroup group;
//   auto a = group.spawn(fetch(1));
//   group.spawn(fetch(2));
//   co_await group.join();          // every child has finished here
//
// Starts:   spawn() schedules the child at once, like corio::spawn, and returns its JoinHandle.
// Resumes:  join() returns when every child has finished.
// Errors:   the first child to fail (other than by cancellation) cancels all the others; join()
//           waits for them, then rethrows that first exception. Spawning into a group that is
//           shutting down after a failure throws std::logic_error (asyncio raises too). Unlike
//           asyncio, the failure does not cancel the code between spawn() and join(); it is
//           delivered at join().
// Cancellation: cancelling the task waiting in join() cancels every child, waits for them,
//           then raises CancelledError (a child's failure, if any, wins, as in asyncio).
// Lifetime: the group outlives no child: destroying a group whose children still run (say an
//           exception skipped join()) cancels them; they finish detached and run() drains them.
// Thread safety: loop thread only.
// Cost:     no allocation beyond each child's spawn.
// Example:  runtime/examples/spawn_vs_gather.cpp

#include <coroutine>
#include <exception>
#include <stdexcept>
#include <utility>

#include <corio/detail/intrusive_list.hpp>
#include <corio/detail/spawned_task.hpp>
#include <corio/detail/task_core.hpp>
#include <corio/errors.hpp>
#include <corio/event_loop.hpp>
#include <corio/spawn.hpp>
#include <corio/task.hpp>

namespace corio {

class TaskGroup {
 public:
  TaskGroup() = default;
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;
  ~TaskGroup();

  template <class T>
  JoinHandle<T> spawn(Task<T> task) {
    if (error_) {
      throw std::logic_error(
          "corio::TaskGroup::spawn(): the group is shutting down after a failure");
    }
    JoinHandle<T> handle = corio::spawn(std::move(task));
    adopt(*handle.task_);
    return handle;
  }

  // Children still running.
  [[nodiscard]] std::size_t size() const noexcept { return children_.size(); }

  class [[nodiscard]] JoinAwaiter : private detail::CancelHook {
   public:
    explicit JoinAwaiter(TaskGroup& group) noexcept
        : detail::CancelHook{&JoinAwaiter::handle_cancel}, group_(group) {}
    JoinAwaiter(const JoinAwaiter&) = delete;
    JoinAwaiter& operator=(const JoinAwaiter&) = delete;
    ~JoinAwaiter() {
      if (group_.joiner_ == this) group_.joiner_ = nullptr;
    }

    [[nodiscard]] bool await_ready() const noexcept { return group_.children_.empty(); }
    template <class Promise>
    bool await_suspend(std::coroutine_handle<Promise> awaiting) {
      core_ = detail::core_of(awaiting);
      if (core_ != nullptr && core_->take_pending_cancel()) {
        parent_cancelled_ = true;
        group_.cancel_all();
        // The children must still be waited for: stay suspended unless none is left.
        if (group_.children_.empty()) return false;
      }
      handle_ = awaiting;
      group_.joiner_ = this;
      if (core_ != nullptr && !parent_cancelled_) core_->install_hook(this);
      return true;
    }
    void await_resume() const {
      if (group_.error_) std::rethrow_exception(group_.error_);
      if (parent_cancelled_) throw CancelledError{};
    }

   private:
    friend class TaskGroup;
    static void handle_cancel(detail::CancelHook* hook) noexcept {
      auto& self = static_cast<JoinAwaiter&>(*hook);
      self.parent_cancelled_ = true;
      self.group_.cancel_all();
    }

    TaskGroup& group_;
    detail::TaskCore* core_ = nullptr;
    std::coroutine_handle<> handle_;
    bool parent_cancelled_ = false;
  };

  JoinAwaiter join() noexcept { return JoinAwaiter{*this}; }

  // Called by a finishing child; returns the joiner to transfer to when the last child
  // finished, else a null handle. Not for users.
  std::coroutine_handle<> on_child_done(detail::SpawnedTaskBase& child) noexcept;

 private:
  void adopt(detail::SpawnedTaskBase& child) noexcept;
  void cancel_all() noexcept;

  detail::IntrusiveList<detail::SpawnedTaskBase, detail::RegistryHook> children_;
  std::exception_ptr error_;
  JoinAwaiter* joiner_ = nullptr;
};

}  // namespace corio
