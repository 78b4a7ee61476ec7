// threads: the textbook bounded buffer. One producer thread (the calling thread) and K
// consumer threads share a ring of Q records guarded by one std::mutex and two
// std::condition_variables: not_full (the producer waits on it while the ring is full) and
// not_empty (consumers wait on it while the ring is empty). Each side notifies the other
// after unlocking, one waiter per item, so a wake-up never finds the mutex still held; glibc's
// notify is a plain atomic check when nobody waits, so notifying every time costs nothing
// extra. After the last record the producer closes the ring: consumers drain it and return,
// and the producer joins them (where Python's threading would call queue.join()).
//
// A stall is a put that found the ring full and waited on not_full. A woken producer may find
// several free slots (consumers ran meanwhile), so stalls fall below N - Q as the threads
// interleave. work:io waits with std::this_thread::sleep_for (a blocking call): K consumer
// threads overlap K waits. Each consumer keeps its Tally on its own stack and stores it when
// it returns; join() makes it visible.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "workloads/common/os_threads.hpp"
#include "workloads/io/pipeline/params.hpp"

namespace workloads::io::pipeline {
namespace {

class BoundedRing {
 public:
  explicit BoundedRing(std::size_t capacity) : slots_(capacity) {}

  // Stores the record, waiting while the ring is full; returns whether it had to wait.
  bool put(const Record& record) {
    std::unique_lock lock(mutex_);
    const bool stalled = count_ == slots_.size();
    if (stalled) not_full_.wait(lock, [this] { return count_ < slots_.size(); });
    slots_[(head_ + count_) % slots_.size()] = record;
    ++count_;
    lock.unlock();
    not_empty_.notify_one();
    return stalled;
  }

  // Takes the oldest record, waiting while the ring is empty; false once closed and drained.
  bool get(Record& out) {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [this] { return count_ > 0 || closed_; });
    if (count_ == 0) return false;
    out = slots_[head_];
    head_ = (head_ + 1) % slots_.size();
    --count_;
    lock.unlock();
    not_full_.notify_one();
    return true;
  }

  void close() {
    {
      const std::lock_guard lock(mutex_);
      closed_ = true;
    }
    not_empty_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::vector<Record> slots_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  bool closed_ = false;
};

void consume(BoundedRing* ring, Work work, Tally* out) {
  Tally tally;
  Record record;
  while (ring->get(record)) {
    if (work == Work::io) std::this_thread::sleep_for(kIoWait);
    tally.consume(record);
  }
  *out = tally;
}

}  // namespace

Result threads(const Params& params) {
  require_valid(params);
  BoundedRing ring(static_cast<std::size_t>(params.capacity));
  std::vector<Tally> tallies(static_cast<std::size_t>(params.consumers));
  std::vector<std::thread> consumers;
  consumers.reserve(tallies.size());

  Result result;
  try {
    for (Tally& tally : tallies) consumers.emplace_back(consume, &ring, params.work, &tally);
  } catch (const std::system_error& error) {
    result.error = common::refused_thread_error(consumers.size(), params.consumers, error);
  }

  if (result.error.empty()) {
    for (std::int64_t id = 0; id < params.items; ++id) {
      if (ring.put(make_record(static_cast<std::uint64_t>(id)))) ++result.queue_full_stalls;
    }
  }
  ring.close();
  for (std::thread& consumer : consumers) consumer.join();

  result.workers = static_cast<std::int64_t>(consumers.size());
  for (const Tally& tally : tallies) result.total += tally;
  return result;
}

}  // namespace workloads::io::pipeline
