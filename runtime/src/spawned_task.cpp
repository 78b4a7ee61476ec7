#include <cstdio>
#include <exception>
#include <typeinfo>

#include <corio/detail/spawned_task.hpp>
#include <corio/errors.hpp>
#include <corio/event_loop.hpp>
#include <corio/task_group.hpp>

namespace corio::detail {

std::coroutine_handle<> SpawnedTaskBase::on_root_done() noexcept {
  root_done_ = true;
  // Out of whichever list holds it, the loop's registry or its group's children: one hook.
  static_cast<RegistryHook&>(*this).unlink();
  // Both a group's joiner and this task's joiner may be waiting: one gets the direct transfer,
  // the other goes through the ready queue.
  std::coroutine_handle<> next = group != nullptr ? group->on_child_done(*this) : nullptr;
  if (Joiner* waiting = std::exchange(joiner, nullptr)) {
    if (waiting->core != nullptr) waiting->core->clear_hook();
    if (next) {
      current_loop().schedule(waiting->handle);
    } else {
      next = waiting->handle;
    }
  }
  release();  // the reference held while running; the JoinHandle may keep another
  return next ? next : std::noop_coroutine();
}

bool is_cancellation(const std::exception_ptr& ptr) noexcept {
  if (!ptr) return false;
  try {
    std::rethrow_exception(ptr);
  } catch (const CancelledError&) {
    return true;
  } catch (...) {
    return false;
  }
}

void SpawnedTaskBase::report_if_unretrieved() const noexcept {
  if (spawn_retrieved_) return;
  const std::exception_ptr error = exception();
  if (!error || is_cancellation(error)) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "corio: task exception was never retrieved: %s: %s\n", typeid(e).name(),
                 e.what());
  } catch (...) {
    std::fprintf(stderr, "corio: task exception was never retrieved: (not a std::exception)\n");
  }
}

}  // namespace corio::detail
