#pragma once
// The hand-off of the thread_pool server models (io/tcp_echo, io/http_plaintext): the epoll
// thread pushes the connections it found readable, the pool's workers pop them, first come,
// first served. Half-sync/half-async's queue (Schmidt's POSA2), as Tomcat's NIO connector has
// it.
//
//   ReadyQueue<T>   push(span of T) from the poller, pop() from a worker (blocks while empty)
//
// Thread safety: any threads. Cost: a mutex, a deque append, and a futex wake per push (one
// worker woken for one item, all of them for more); pop waits on a condition variable.

#include <condition_variable>
#include <deque>
#include <mutex>
#include <span>

namespace workloads::common {

template <class T>
class ReadyQueue {
 public:
  void push(std::span<const T> items) {
    {
      const std::lock_guard lock(mutex_);
      items_.insert(items_.end(), items.begin(), items.end());
    }
    if (items.size() == 1) {
      ready_.notify_one();
    } else {
      ready_.notify_all();
    }
  }

  T pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return !items_.empty(); });
    T item = items_.front();
    items_.pop_front();
    return item;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<T> items_;
};

}  // namespace workloads::common
