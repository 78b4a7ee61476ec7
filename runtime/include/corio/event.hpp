#pragma once
// corio::Event: a flag tasks can wait for (asyncio.Event).
//
// wait():   returns at once if the flag is set; otherwise waits until set() is called.
// Resumes:  set() wakes every waiter, in the order they started waiting (FIFO); they run on the
//           loop's next turn. clear() after set() does not un-wake them.
// Cancellation: a waiter cancelled while waiting leaves the list and gets CancelledError; the
//           others are not affected.
// Thread safety: loop thread only.
// Cost:     no allocation; set() is O(waiters).

#include <coroutine>

#include <corio/detail/intrusive_list.hpp>
#include <corio/detail/wait_node.hpp>

namespace corio {

class Event {
 public:
  Event() = default;
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

  [[nodiscard]] bool is_set() const noexcept { return set_; }

  void set() noexcept {
    set_ = true;
    while (!waiters_.empty()) waiters_.front().wake();
  }
  void clear() noexcept { set_ = false; }

  class [[nodiscard]] Awaiter : public detail::WaitNode {
   public:
    explicit Awaiter(Event& event) noexcept : event_(event) {}
    [[nodiscard]] bool await_ready() const noexcept { return event_.set_; }
    template <class Promise>
    bool await_suspend(std::coroutine_handle<Promise> awaiting) {
      return suspend_in(awaiting, event_.waiters_, "corio::Event::wait()");
    }
    void await_resume() const { throw_if_cancelled(); }

   private:
    Event& event_;
  };

  Awaiter wait() noexcept { return Awaiter{*this}; }

 private:
  detail::IntrusiveList<Awaiter> waiters_;
  bool set_ = false;
};

}  // namespace corio
