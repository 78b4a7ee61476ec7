#pragma once
// The loop's timers: a 4-ary min-heap of (deadline, node) pairs; nodes live in the waiting frames.
//
//   corio::detail::TimerNode   deadline, FIFO sequence number, heap position, fire callback
//   corio::detail::TimerQueue  add, remove (O(log n), for cancellation), pop expired
//
// Order: earlier deadline first; equal deadlines fire in the order they were added (the
// sequence number breaks ties), as asyncio's heap of (when, seq) does.
// Layout: the deadline is copied into the heap slot so that sifting compares without touching
// the nodes (with a million sleeping tasks every node is a cache miss); a node is read only to
// break a tie and written to record its new position. Four children per level halve the depth
// of a binary heap. A timer costs a 16-byte slot plus its node (in the frame): no allocation
// per timer once the vector has grown.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace corio::detail {

struct TimerNode {
  static constexpr std::uint32_t kNotQueued = ~std::uint32_t{0};

  std::int64_t deadline_ns = 0;
  std::uint64_t seq = 0;
  std::uint32_t heap_index = kNotQueued;  // 32 bits: four billion timers is plenty
  // For the owner (sleep's "woken by cancel"): it fits beside heap_index, and each sleeping
  // frame is 8 bytes smaller than with a flag of its own.
  bool owner_flag = false;
  void (*fire)(TimerNode* self) noexcept = nullptr;

  [[nodiscard]] bool queued() const noexcept { return heap_index != kNotQueued; }
};

class TimerQueue {
 public:
  [[nodiscard]] bool empty() const noexcept { return heap_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return heap_.size(); }
  [[nodiscard]] std::int64_t next_deadline() const noexcept { return heap_.front().deadline_ns; }

  void add(TimerNode& node) {
    node.seq = next_seq_++;
    heap_.push_back(Slot{node.deadline_ns, &node});
    sift_up(heap_.size() - 1);
  }

  void remove(TimerNode& node) noexcept {
    if (!node.queued()) return;
    const std::size_t index = node.heap_index;
    node.heap_index = TimerNode::kNotQueued;
    const Slot last = heap_.back();
    heap_.pop_back();
    if (index == heap_.size()) return;  // it was the last slot
    heap_[index] = last;
    last.node->heap_index = static_cast<std::uint32_t>(index);
    if (index > 0 && before(last, heap_[(index - 1) / kArity])) {
      sift_up(index);
    } else {
      sift_down(index);
    }
  }

  // Removes and returns the earliest node if its deadline is at or before now_ns.
  TimerNode* pop_expired(std::int64_t now_ns) noexcept {
    if (heap_.empty() || heap_.front().deadline_ns > now_ns) return nullptr;
    TimerNode* node = heap_.front().node;
    remove(*node);
    return node;
  }

 private:
  static constexpr std::size_t kArity = 4;

  struct Slot {
    std::int64_t deadline_ns;
    TimerNode* node;
  };

  static bool before(const Slot& a, const Slot& b) noexcept {
    return a.deadline_ns < b.deadline_ns ||
           (a.deadline_ns == b.deadline_ns && a.node->seq < b.node->seq);
  }

  void place(std::size_t index, const Slot& slot) noexcept {
    heap_[index] = slot;
    slot.node->heap_index = static_cast<std::uint32_t>(index);
  }

  void sift_up(std::size_t index) noexcept {
    const Slot moving = heap_[index];
    while (index > 0) {
      const std::size_t parent = (index - 1) / kArity;
      if (!before(moving, heap_[parent])) break;
      place(index, heap_[parent]);
      index = parent;
    }
    place(index, moving);
  }

  void sift_down(std::size_t index) noexcept {
    const Slot moving = heap_[index];
    const std::size_t count = heap_.size();
    for (;;) {
      const std::size_t first_child = kArity * index + 1;
      if (first_child >= count) break;
      std::size_t best = first_child;
      const std::size_t end = first_child + kArity < count ? first_child + kArity : count;
      for (std::size_t child = first_child + 1; child < end; ++child) {
        if (before(heap_[child], heap_[best])) best = child;
      }
      if (!before(heap_[best], moving)) break;
      place(index, heap_[best]);
      index = best;
    }
    place(index, moving);
  }

  std::vector<Slot> heap_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace corio::detail
