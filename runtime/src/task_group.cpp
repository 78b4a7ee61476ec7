#include <coroutine>
#include <utility>

#include <corio/detail/spawned_task.hpp>
#include <corio/task_group.hpp>

namespace corio {

TaskGroup::~TaskGroup() {
  // Children still running (join() was skipped, e.g. by an exception): cancel them, and hand
  // them back to the loop's registry, which run() drains.
  while (!children_.empty()) {
    detail::SpawnedTaskBase& child = children_.pop_front();
    child.group = nullptr;
    detail::current_loop().register_task(child);
    child.request_cancel();
  }
}

void TaskGroup::adopt(detail::SpawnedTaskBase& child) noexcept {
  detail::current_loop().unregister_task(child);  // a child lives in its group's list instead
  child.group = this;
  children_.push_back(child);
}

void TaskGroup::cancel_all() noexcept {
  children_.for_each([](detail::SpawnedTaskBase& child) { child.request_cancel(); });
}

std::coroutine_handle<> TaskGroup::on_child_done(detail::SpawnedTaskBase& child) noexcept {
  // on_root_done() has taken the child out of children_ already.
  child.group = nullptr;
  if (std::exception_ptr error = child.exception(); error && !detail::is_cancellation(error)) {
    child.mark_retrieved();  // the group delivers it (or it lost to an earlier failure)
    if (!error_) {
      error_ = error;
      cancel_all();
    }
  }
  if (children_.empty() && joiner_ != nullptr) {
    JoinAwaiter* waiting = std::exchange(joiner_, nullptr);
    if (waiting->core_ != nullptr) waiting->core_->clear_hook();
    return waiting->handle_;
  }
  return {};
}

}  // namespace corio
