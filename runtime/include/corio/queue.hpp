#pragma once
// corio::Queue<T>: a FIFO queue between tasks, optionally bounded (asyncio.Queue).
//
// put(v):   stores v at once if there is room (maxsize 0 means unbounded), or hands it straight
//           to the longest-waiting get(); otherwise waits until a get() makes room.
// get():    takes the oldest item at once if there is one; otherwise waits for a put().
// Resumes:  waiters are served first come, first served; the item or the free slot is handed
//           over at wake time, so a newcomer cannot overtake a waiter.
// Cancellation: a get() cancelled while waiting takes no item; a put() cancelled while waiting
//           stores nothing (its item is dropped). Neither loses its place to the other waiters.
// task_done()/join(): every successful put counts an unfinished item; task_done() marks one
//           finished (std::logic_error if called more often than items were put); join() waits
//           until none is unfinished.
// Thread safety: loop thread only.
// Cost:     no allocation per waiter or per item once the ring holding the items has grown to
//           the most items held at once (detail::ItemRing; it keeps that capacity). An item is
//           moved three times: into put()'s awaiter, into the ring, out to get()'s caller.
// Example:  runtime/examples/producer_consumer.cpp

#include <coroutine>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <utility>

#include <corio/detail/intrusive_list.hpp>
#include <corio/detail/item_ring.hpp>
#include <corio/detail/wait_node.hpp>

namespace corio {

template <class T>
class Queue {
 public:
  explicit Queue(std::size_t maxsize = 0) noexcept : maxsize_(maxsize) {}
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;

  [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }
  [[nodiscard]] std::size_t maxsize() const noexcept { return maxsize_; }
  [[nodiscard]] bool empty() const noexcept { return items_.empty(); }
  [[nodiscard]] bool full() const noexcept { return maxsize_ != 0 && items_.size() >= maxsize_; }
  [[nodiscard]] std::size_t unfinished_tasks() const noexcept { return unfinished_; }

  // Stores the item if that needs no waiting; otherwise leaves it untouched and returns false.
  template <class U>
  bool try_put(U&& item) {
    if (!getters_.empty()) {
      GetAwaiter& getter = getters_.front();
      getter.item_.emplace(std::forward<U>(item));
      getter.wake();
    } else if (!full()) {
      items_.push_back(std::forward<U>(item));
    } else {
      return false;
    }
    ++unfinished_;
    return true;
  }

  std::optional<T> try_get() {
    if (items_.empty()) return std::nullopt;
    return take_front();
  }

  void task_done() {
    if (unfinished_ == 0) {
      throw std::logic_error("corio::Queue::task_done() called more times than items were put");
    }
    if (--unfinished_ == 0) {
      while (!joiners_.empty()) joiners_.front().wake();
    }
  }

  class [[nodiscard]] PutAwaiter : public detail::WaitNode {
   public:
    PutAwaiter(Queue& queue, T&& item) : queue_(queue), item_(std::move(item)) {}
    [[nodiscard]] bool await_ready() { return queue_.try_put(std::move(item_)); }
    template <class Promise>
    bool await_suspend(std::coroutine_handle<Promise> awaiting) {
      return suspend_in(awaiting, queue_.putters_, "corio::Queue::put()");
    }
    void await_resume() const { throw_if_cancelled(); }

   private:
    friend class Queue;
    Queue& queue_;
    T item_;
  };

  class [[nodiscard]] GetAwaiter : public detail::WaitNode {
   public:
    explicit GetAwaiter(Queue& queue) noexcept : queue_(queue) {}
    // An item is there: await_resume() takes it, with nothing run in between.
    [[nodiscard]] bool await_ready() const noexcept { return !queue_.empty(); }
    template <class Promise>
    bool await_suspend(std::coroutine_handle<Promise> awaiting) {
      return suspend_in(awaiting, queue_.getters_, "corio::Queue::get()");
    }
    T await_resume() {
      throw_if_cancelled();
      if (item_.has_value()) return std::move(*item_);  // handed over by a put() while waiting
      return queue_.take_front();
    }

   private:
    friend class Queue;
    Queue& queue_;
    std::optional<T> item_;  // set only by a put() that finds this get() waiting
  };

  class [[nodiscard]] JoinAwaiter : public detail::WaitNode {
   public:
    explicit JoinAwaiter(Queue& queue) noexcept : queue_(queue) {}
    [[nodiscard]] bool await_ready() const noexcept { return queue_.unfinished_ == 0; }
    template <class Promise>
    bool await_suspend(std::coroutine_handle<Promise> awaiting) {
      return suspend_in(awaiting, queue_.joiners_, "corio::Queue::join()");
    }
    void await_resume() const { throw_if_cancelled(); }

   private:
    Queue& queue_;
  };

  PutAwaiter put(T item) { return PutAwaiter{*this, std::move(item)}; }
  GetAwaiter get() noexcept { return GetAwaiter{*this}; }
  JoinAwaiter join() noexcept { return JoinAwaiter{*this}; }

 private:
  T take_front() {
    T item(std::move(items_.front()));
    items_.pop_front();
    admit_first_putter();
    return item;
  }

  // A slot was freed: the longest-waiting put() stores its item now and is woken.
  void admit_first_putter() {
    if (putters_.empty()) return;
    PutAwaiter& putter = putters_.front();
    items_.push_back(std::move(putter.item_));
    ++unfinished_;
    putter.wake();
  }

  detail::ItemRing<T> items_;
  std::size_t maxsize_;
  std::size_t unfinished_ = 0;
  detail::IntrusiveList<GetAwaiter> getters_;
  detail::IntrusiveList<PutAwaiter> putters_;
  detail::IntrusiveList<JoinAwaiter> joiners_;
};

}  // namespace corio
