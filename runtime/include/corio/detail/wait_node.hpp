#pragma once
// The waiter every synchronisation primitive queues: Queue, Semaphore, Mutex, Event.
//
//   corio::detail::WaitNode  a coroutine waiting in a primitive's FIFO list; lives in the
//                            awaiter, inside the waiting frame (no allocation)
//
// Protocol: suspend_in(list) queues the waiter and installs its cancel hook. The primitive
// hands the waiter what it waited for (an item, a permit, the lock) and calls wake(), which
// unlinks it and schedules it: the hand-off is decided at wake time, so nobody can barge in
// between (FIFO fairness, no lost wake-ups). A cancel() while queued unlinks the waiter and
// resumes it with CancelledError; it took nothing. A cancel() after wake() keeps what was
// handed over and is raised at the next suspension point.

#include <coroutine>

#include <corio/detail/intrusive_list.hpp>
#include <corio/detail/task_core.hpp>
#include <corio/errors.hpp>
#include <corio/event_loop.hpp>

namespace corio::detail {

class WaitNode : public ListHook, private CancelHook {
 public:
  WaitNode() noexcept : CancelHook{&WaitNode::handle_cancel} {}
  WaitNode(const WaitNode&) = delete;
  WaitNode& operator=(const WaitNode&) = delete;
  ~WaitNode() = default;

  // Queues the awaiting coroutine in `list`. Returns false (do not suspend) when a
  // cancellation is pending; await_resume() then throws it.
  template <class Promise, class Node>
  bool suspend_in(std::coroutine_handle<Promise> awaiting, IntrusiveList<Node>& list,
                  const char* caller) {
    core_ = core_of(awaiting);
    if (core_ != nullptr && core_->take_pending_cancel()) {
      cancelled_ = true;
      return false;
    }
    loop_ = &EventLoop::require_current(caller);
    handle_ = awaiting;
    list.push_back(static_cast<Node&>(*this));
    if (core_ != nullptr) core_->install_hook(this);
    return true;
  }

  void wake() noexcept {
    unlink();
    if (core_ != nullptr) core_->clear_hook();
    loop_->schedule(handle_);
  }

  void throw_if_cancelled() const {
    if (cancelled_) throw CancelledError{};
  }

 private:
  static void handle_cancel(CancelHook* hook) noexcept {
    auto& self = static_cast<WaitNode&>(*hook);
    self.unlink();
    self.cancelled_ = true;
    self.loop_->schedule(self.handle_);
  }

  EventLoop* loop_ = nullptr;
  TaskCore* core_ = nullptr;
  std::coroutine_handle<> handle_;
  bool cancelled_ = false;
};

}  // namespace corio::detail
