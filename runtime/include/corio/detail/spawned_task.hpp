#pragma once
// The bookkeeping of a spawned task (asyncio's Task object), apart from its coroutine.
//
//   corio::detail::SpawnedTaskBase  reference count (JoinHandle + "still running"), joiner,
//                                   membership in its TaskGroup or, if none, the loop registry
//   corio::detail::Joiner           the coroutine awaiting a JoinHandle
//
// Lifetime: created by spawn() with two references (TaskCore::spawn_refs_), one for the
// JoinHandle and one held while the task runs. A task finishes on its loop's thread, so the
// loop is the current one there and need not be stored. The last release deletes it, destroying the
// finished root frame. A task whose exception nobody retrieved reports it on stderr when deleted
// (CancelledError excepted).

#include <coroutine>
#include <exception>

#include <corio/detail/frame_allocator.hpp>
#include <corio/detail/intrusive_list.hpp>
#include <corio/detail/task_core.hpp>

namespace corio {
class TaskGroup;
class EventLoop;
}  // namespace corio

namespace corio::detail {

// A running task is in exactly one list: its TaskGroup's children, or else the loop's registry
// of running tasks. One hook serves both, 16 bytes less per task than a hook for each.
struct RegistryHook : ListHook {};

struct Joiner {
  std::coroutine_handle<> handle;
  TaskCore* core = nullptr;
};

class SpawnedTaskBase : public TaskCore, public RegistryHook, public PooledObject {
 public:
  SpawnedTaskBase() = default;

  void add_ref() noexcept { ++spawn_refs_; }
  void release() noexcept {
    if (--spawn_refs_ == 0) delete this;
  }

  [[nodiscard]] bool done() const noexcept { return root_done_; }

  // The outcome's exception (nullptr on success); marks it retrieved when asked to.
  [[nodiscard]] virtual std::exception_ptr exception() const noexcept = 0;
  void mark_retrieved() noexcept { spawn_retrieved_ = true; }

  std::coroutine_handle<> on_root_done() noexcept final;

  // Forced teardown at loop shutdown: destroys the (suspended) coroutine chain.
  virtual void destroy_coroutine() noexcept = 0;

  Joiner* joiner = nullptr;    // at most one coroutine awaits the JoinHandle
  TaskGroup* group = nullptr;  // the TaskGroup this task belongs to, if any

 protected:
  virtual ~SpawnedTaskBase() = default;
  // Called by the derived destructor, while the result still exists.
  void report_if_unretrieved() const noexcept;
};

// True if ptr holds a corio::CancelledError.
[[nodiscard]] bool is_cancellation(const std::exception_ptr& ptr) noexcept;

}  // namespace corio::detail
