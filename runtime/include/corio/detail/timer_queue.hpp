#pragma once
// The loop's timers: a binary min-heap of pointers to nodes that live in the waiting frames.
//
//   corio::detail::TimerNode   deadline, FIFO sequence number, heap position, fire callback
//   corio::detail::TimerQueue  add, remove (O(log n), for cancellation), pop expired
//
// Order: earlier deadline first; equal deadlines fire in the order they were added (the
// sequence number breaks ties), as asyncio's heap of (when, seq) does. A node costs 8 bytes of
// heap slot plus itself (in the coroutine frame): no allocation per timer once the vector grew.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace corio::detail {

struct TimerNode {
  std::int64_t deadline_ns = 0;
  std::uint64_t seq = 0;
  std::size_t heap_index = kNotQueued;
  void (*fire)(TimerNode* self) noexcept = nullptr;

  static constexpr std::size_t kNotQueued = ~std::size_t{0};
  [[nodiscard]] bool queued() const noexcept { return heap_index != kNotQueued; }
};

class TimerQueue {
 public:
  [[nodiscard]] bool empty() const noexcept { return heap_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return heap_.size(); }
  [[nodiscard]] std::int64_t next_deadline() const noexcept { return heap_.front()->deadline_ns; }

  void add(TimerNode& node) {
    node.seq = next_seq_++;
    node.heap_index = heap_.size();
    heap_.push_back(&node);
    sift_up(node.heap_index);
  }

  void remove(TimerNode& node) noexcept {
    if (!node.queued()) return;
    const std::size_t index = node.heap_index;
    TimerNode* last = heap_.back();
    heap_.pop_back();
    node.heap_index = TimerNode::kNotQueued;
    if (last == &node) return;
    heap_[index] = last;
    last->heap_index = index;
    sift_down(index);
    sift_up(last->heap_index);
  }

  // Removes and returns the earliest node if its deadline is at or before now_ns.
  TimerNode* pop_expired(std::int64_t now_ns) noexcept {
    if (heap_.empty() || heap_.front()->deadline_ns > now_ns) return nullptr;
    TimerNode* node = heap_.front();
    remove(*node);
    return node;
  }

 private:
  static bool before(const TimerNode* a, const TimerNode* b) noexcept {
    return a->deadline_ns < b->deadline_ns || (a->deadline_ns == b->deadline_ns && a->seq < b->seq);
  }

  void place(std::size_t index, TimerNode* node) noexcept {
    heap_[index] = node;
    node->heap_index = index;
  }

  void sift_up(std::size_t index) noexcept {
    TimerNode* node = heap_[index];
    while (index > 0) {
      const std::size_t parent = (index - 1) / 2;
      if (!before(node, heap_[parent])) break;
      place(index, heap_[parent]);
      index = parent;
    }
    place(index, node);
  }

  void sift_down(std::size_t index) noexcept {
    TimerNode* node = heap_[index];
    const std::size_t count = heap_.size();
    for (;;) {
      std::size_t child = 2 * index + 1;
      if (child >= count) break;
      if (child + 1 < count && before(heap_[child + 1], heap_[child])) ++child;
      if (!before(heap_[child], node)) break;
      place(index, heap_[child]);
      index = child;
    }
    place(index, node);
  }

  std::vector<TimerNode*> heap_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace corio::detail
