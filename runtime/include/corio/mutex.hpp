#pragma once
// corio::Mutex: mutual exclusion across suspension points (asyncio.Lock).
//
// lock():   `auto guard = co_await mutex.lock();` — the mutex is held until the guard is
//           destroyed (or guard.unlock()). Waiters are served first come, first served: unlock
//           hands ownership straight to the longest waiter.
// Cancellation: a waiter cancelled while queued leaves the queue without the lock.
// Thread safety: loop thread only. Never hold a std::mutex across co_await; use this.
// Cost:     no allocation.

#include <coroutine>
#include <optional>
#include <utility>

#include <corio/detail/intrusive_list.hpp>
#include <corio/detail/wait_node.hpp>

namespace corio {

class Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  [[nodiscard]] bool locked() const noexcept { return locked_; }

  // Owns the lock; unlocks on destruction. Move-only.
  class [[nodiscard]] Guard {
   public:
    Guard() noexcept = default;
    explicit Guard(Mutex& mutex) noexcept : mutex_(&mutex) {}
    Guard(Guard&& other) noexcept : mutex_(std::exchange(other.mutex_, nullptr)) {}
    Guard& operator=(Guard&& other) noexcept {
      if (this != &other) {
        unlock();
        mutex_ = std::exchange(other.mutex_, nullptr);
      }
      return *this;
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    ~Guard() { unlock(); }

    [[nodiscard]] bool owns_lock() const noexcept { return mutex_ != nullptr; }
    void unlock() noexcept {
      if (mutex_ != nullptr) std::exchange(mutex_, nullptr)->unlock();
    }

   private:
    Mutex* mutex_ = nullptr;
  };

  [[nodiscard]] std::optional<Guard> try_lock() noexcept {
    if (locked_) return std::nullopt;
    locked_ = true;
    return Guard{*this};
  }

  class [[nodiscard]] Awaiter : public detail::WaitNode {
   public:
    explicit Awaiter(Mutex& mutex) noexcept : mutex_(mutex) {}
    [[nodiscard]] bool await_ready() noexcept {
      if (mutex_.locked_) return false;
      mutex_.locked_ = true;
      return true;
    }
    template <class Promise>
    bool await_suspend(std::coroutine_handle<Promise> awaiting) {
      return suspend_in(awaiting, mutex_.waiters_, "corio::Mutex::lock()");
    }
    Guard await_resume() const {
      throw_if_cancelled();
      return Guard{mutex_};
    }

   private:
    Mutex& mutex_;
  };

  Awaiter lock() noexcept { return Awaiter{*this}; }

 private:
  void unlock() noexcept {
    if (!waiters_.empty()) {
      waiters_.front().wake();  // ownership passes directly; locked_ stays true
    } else {
      locked_ = false;
    }
  }

  detail::IntrusiveList<Awaiter> waiters_;
  bool locked_ = false;
};

}  // namespace corio
