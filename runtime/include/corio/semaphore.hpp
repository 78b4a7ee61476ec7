#pragma once
// corio::Semaphore: at most N holders at a time (asyncio.Semaphore).
//
// acquire(): takes a permit at once if one is free and nobody is queued; otherwise waits.
//           Waiters are served first come, first served: release() hands its permit straight
//           to the longest waiter, so a newcomer can never overtake it.
// Cancellation: a waiter cancelled while queued leaves the queue and takes no permit.
// Thread safety: loop thread only.
// Cost:     no allocation; acquire without waiting and release are a few instructions.
// Example:  runtime/examples/semaphore_limit.cpp

#include <coroutine>
#include <cstddef>
#include <stdexcept>

#include <corio/detail/intrusive_list.hpp>
#include <corio/detail/wait_node.hpp>

namespace corio {

class Semaphore {
 public:
  explicit Semaphore(std::size_t permits) noexcept : permits_(permits) {}
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  // Free permits right now.
  [[nodiscard]] std::size_t value() const noexcept { return permits_; }
  // True when acquire() would wait (asyncio's locked()).
  [[nodiscard]] bool locked() const noexcept { return permits_ == 0 || !waiters_.empty(); }

  [[nodiscard]] bool try_acquire() noexcept {
    if (locked()) return false;
    --permits_;
    return true;
  }

  void release() noexcept {
    if (!waiters_.empty()) {
      waiters_.front().wake();  // the permit passes directly to the first waiter
    } else {
      ++permits_;
    }
  }

  class [[nodiscard]] Awaiter : public detail::WaitNode {
   public:
    explicit Awaiter(Semaphore& semaphore) noexcept : semaphore_(semaphore) {}
    [[nodiscard]] bool await_ready() noexcept { return semaphore_.try_acquire(); }
    template <class Promise>
    bool await_suspend(std::coroutine_handle<Promise> awaiting) {
      return suspend_in(awaiting, semaphore_.waiters_, "corio::Semaphore::acquire()");
    }
    void await_resume() const { throw_if_cancelled(); }

   private:
    Semaphore& semaphore_;
  };

  Awaiter acquire() noexcept { return Awaiter{*this}; }

 private:
  std::size_t permits_;
  detail::IntrusiveList<Awaiter> waiters_;
};

}  // namespace corio
