// threads: the producer is one std::thread, the consumer the calling thread. prim:semaphore:
// std::counting_semaphore, two of them around a ring, the bounded buffer as textbooks write it.
// libstdc++ 12 builds it on atomic wait/notify (a short spin, then a futex) and does not count
// its waiters, so every release that lifts the count from 0 makes a futex wake system call,
// waiter or not: tasks:1/cap:1 pays one per pair (strace shows it), which is what the standard
// type costs here. prim:queue: the classic bounded queue, a std::mutex, a ring and two
// std::condition_variables (not full, not empty), each notified after the unlock so the woken
// thread does not block on the mutex at once; glibc's notify with nobody waiting is a load and
// no system call. tasks:1 is the same primitive used by one thread alone.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <semaphore>
#include <thread>
#include <vector>

#include "workloads/runtime/sync/params.hpp"

namespace workloads::runtime::sync {
namespace {

class BoundedQueue {
 public:
  explicit BoundedQueue(std::int64_t capacity) : slots_(static_cast<std::size_t>(capacity)) {}

  void put(std::int64_t value) {
    {
      std::unique_lock lock(mutex_);
      not_full_.wait(lock, [this] { return size_ < slots_.size(); });
      slots_[(head_ + size_) % slots_.size()] = value;
      ++size_;
    }
    not_empty_.notify_one();
  }

  std::int64_t get() {
    std::int64_t value = 0;
    {
      std::unique_lock lock(mutex_);
      not_empty_.wait(lock, [this] { return size_ > 0; });
      value = slots_[head_];
      head_ = (head_ + 1) % slots_.size();
      --size_;
    }
    not_full_.notify_one();
    return value;
  }

 private:
  std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::vector<std::int64_t> slots_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

Result semaphore_ring(std::int64_t items, std::int64_t capacity) {
  Result result;
  std::vector<std::int64_t> ring(static_cast<std::size_t>(capacity));
  std::counting_semaphore<> free_slots(static_cast<std::ptrdiff_t>(capacity));
  std::counting_semaphore<> filled(0);
  std::int64_t producer_pairs = 0;
  std::thread producer([&] {
    for (std::int64_t i = 0; i < items; ++i) {
      free_slots.acquire();
      ring[static_cast<std::size_t>(i) % ring.size()] = i;
      filled.release();
      ++producer_pairs;
    }
  });
  for (std::int64_t i = 0; i < items; ++i) {
    filled.acquire();
    result.sum += ring[static_cast<std::size_t>(i) % ring.size()];
    free_slots.release();
    ++result.pairs;
  }
  producer.join();
  result.pairs += producer_pairs;
  return result;
}

Result semaphore_alone(std::int64_t ops, std::int64_t capacity) {
  Result result;
  std::counting_semaphore<> semaphore(static_cast<std::ptrdiff_t>(capacity));
  for (std::int64_t i = 0; i < ops; ++i) {
    semaphore.acquire();
    result.sum += i;
    ++result.pairs;
    semaphore.release();
  }
  return result;
}

Result queue_pair(std::int64_t items, std::int64_t capacity) {
  Result result;
  BoundedQueue queue(capacity);
  std::thread producer([&queue, items] {
    for (std::int64_t i = 0; i < items; ++i) queue.put(i);
  });
  for (std::int64_t i = 0; i < items; ++i) {
    result.sum += queue.get();
    ++result.pairs;
  }
  producer.join();
  return result;
}

Result queue_alone(std::int64_t ops, std::int64_t capacity) {
  Result result;
  BoundedQueue queue(capacity);
  for (std::int64_t i = 0; i < ops; ++i) {
    queue.put(i);
    result.sum += queue.get();
    ++result.pairs;
  }
  return result;
}

}  // namespace

Result threads(const Params& params) {
  const std::int64_t items = items_moved(params);
  if (params.prim == Prim::semaphore) {
    if (params.tasks == 2) return semaphore_ring(items, params.capacity);
    return semaphore_alone(params.ops, params.capacity);
  }
  if (params.tasks == 2) return queue_pair(items, params.capacity);
  return queue_alone(params.ops, params.capacity);
}

}  // namespace workloads::runtime::sync
