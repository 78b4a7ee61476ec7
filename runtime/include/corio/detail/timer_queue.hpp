#pragma once
// The loop's timers: a FIFO lane for timers added in deadline order, and a 4-ary min-heap of
// (deadline, node) pairs for the rest; nodes live in the waiting frames.
//
//   corio::detail::TimerNode   deadline, FIFO sequence number, position, fire callback
//   corio::detail::TimerQueue  add, add_after (relative), remove (for cancellation), pop expired
//
// Order: earlier deadline first; equal deadlines fire in the order they were added (the
// sequence number breaks ties), as asyncio's heap of (when, seq) does.
// The lane: most timers are added in deadline order (N tasks sleeping the same duration, a
// timeout per request), and a timer whose deadline is not before the lane's last one is
// appended to a ring and popped from its front, in O(1) without touching other nodes. Only a
// timer that would break the lane's order goes to the heap. Removing from the lane leaves a
// tombstone (the slot's node is cleared); tombstones are skipped at the front and compacted
// away when they outnumber the live timers, so memory stays proportional to live timers.
// Measured: 100,000 tasks sleeping 10 ms spent 35% of their wall time in the heap's sift_down
// (a cache miss per level, to record each moved node's position) before the lane existed.
// The heap: the deadline is copied into the heap slot so that sifting compares without
// touching the nodes; a node is read only to break a tie and written to record its new
// position. Four children per level halve the depth of a binary heap.
// Relative timers (sleep(D)): add_after() parks the node with its duration, and
// commit_pending(now) turns every parked duration into a deadline with one clock reading, taken
// by the loop after each chunk of 16 resumes (event_loop.cpp) or when kMaxPending are parked. A
// sleep is then never shorter than asked, and later by at most 15 other resumes. Reading the clock
// in every sleep instead was 19% of the CPU time of 100,000 tasks sleeping 10 ms (33 ns per read on
// the reference VM, perf). Cost: a 16-byte slot (lane or heap) plus the node (in the frame); no
// allocation per timer once the vectors have grown.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace corio::detail {

struct TimerNode {
  static constexpr std::uint32_t kNotQueued = ~std::uint32_t{0};
  static constexpr std::uint32_t kLaneBit = std::uint32_t{1} << 31;
  static constexpr std::uint32_t kPendingBit = std::uint32_t{1} << 30;

  std::int64_t deadline_ns = 0;
  std::uint64_t seq = 0;
  // kNotQueued, kPendingBit | index among the parked relative timers, kLaneBit | lane
  // position (30 bits, wrapping), or the heap index. While parked, deadline_ns holds the
  // duration.
  std::uint32_t heap_index = kNotQueued;
  // For the owner (sleep's "woken by cancel"): it fits beside heap_index, and each sleeping
  // frame is 8 bytes smaller than with a flag of its own.
  bool owner_flag = false;
  void (*fire)(TimerNode* self) noexcept = nullptr;

  [[nodiscard]] bool queued() const noexcept { return heap_index != kNotQueued; }
};

class TimerQueue {
 public:
  [[nodiscard]] bool empty() const noexcept {
    return lane_live_ == 0 && heap_.empty() && pending_live_ == 0;
  }
  [[nodiscard]] std::size_t size() const noexcept {
    return heap_.size() + lane_live_ + pending_live_;
  }
  [[nodiscard]] bool has_pending() const noexcept { return !pending_.empty(); }
  // Only when !empty() and nothing is pending (commit_pending first).
  [[nodiscard]] std::int64_t next_deadline() const noexcept {
    const Slot* lane = lane_front();
    if (heap_.empty()) return lane->deadline_ns;
    if (lane == nullptr) return heap_.front().deadline_ns;
    return std::min(lane->deadline_ns, heap_.front().deadline_ns);
  }

  void add(TimerNode& node) {
    node.seq = next_seq_++;
    if (lane_live_ == 0 || node.deadline_ns >= lane_last_deadline_) {
      lane_push(node);
      return;
    }
    heap_.push_back(Slot{node.deadline_ns, &node});
    sift_up(heap_.size() - 1);
  }

  // Parks `node`, whose deadline_ns holds a duration, until commit_pending(). Returns true
  // when kMaxPending are parked: the caller should commit them now (see kMaxPending).
  [[nodiscard]] bool add_after(TimerNode& node) {
    node.heap_index = TimerNode::kPendingBit | static_cast<std::uint32_t>(pending_.size());
    pending_.push_back(&node);
    ++pending_live_;
    return pending_.size() >= kMaxPending;
  }

  // Every parked timer's deadline becomes now_ns + its duration, in the order they were parked.
  void commit_pending(std::int64_t now_ns) {
    for (TimerNode*& slot : pending_) {
      TimerNode* node = std::exchange(slot, nullptr);
      if (node == nullptr) continue;  // removed while parked
      --pending_live_;
      node->deadline_ns += now_ns;
      add(*node);
    }
    pending_.clear();
  }

  void remove(TimerNode& node) noexcept {
    if (!node.queued()) return;
    if ((node.heap_index & TimerNode::kPendingBit) != 0) {
      pending_[node.heap_index & kPositionMask] = nullptr;
      node.heap_index = TimerNode::kNotQueued;
      --pending_live_;
    } else if ((node.heap_index & TimerNode::kLaneBit) != 0) {
      lane_remove(node);
    } else {
      heap_remove(node);
    }
  }

  // Removes and returns the earliest node if its deadline is at or before now_ns. Parked
  // timers are not looked at: commit them first.
  TimerNode* pop_expired(std::int64_t now_ns) noexcept {
    const Slot* lane = lane_front();
    const bool heap_first = !heap_.empty() && (lane == nullptr || before(heap_.front(), *lane));
    const Slot* earliest = heap_first ? &heap_.front() : lane;
    if (earliest == nullptr || earliest->deadline_ns > now_ns) return nullptr;
    TimerNode* node = earliest->node;
    if (heap_first) {
      heap_remove(*node);
    } else {
      lane_pop_front();
    }
    return node;
  }

 private:
  static constexpr std::size_t kArity = 4;
  // Parked timers wait for one clock reading at most this many at a time. Committing only at
  // the end of a batch made 100,000 sleeps started in one 5-ms batch all due at once, 5 ms
  // after the first could have been: firing them no longer overlapped the wait, and the
  // gather of them took 5 ms longer than with a reading per sleep (medians of 75 calls, 25.9
  // against 20.9 ms). 256 sleeps start in about 15 µs; a reading per 256 is 0.1 ns a sleep.
  static constexpr std::size_t kMaxPending = 256;
  static constexpr std::uint32_t kPositionMask = ~(TimerNode::kLaneBit | TimerNode::kPendingBit);

  struct Slot {
    std::int64_t deadline_ns;
    TimerNode* node;  // nullptr: a tombstone in the lane
  };

  static bool before(const Slot& a, const Slot& b) noexcept {
    return a.deadline_ns < b.deadline_ns ||
           (a.deadline_ns == b.deadline_ns && a.node->seq < b.node->seq);
  }

  // --- the lane: a ring of slots indexed by 31-bit wrapping positions ---

  [[nodiscard]] Slot& lane_slot(std::uint32_t position) noexcept {
    return lane_[position & (lane_capacity_ - 1)];
  }
  [[nodiscard]] const Slot* lane_front() const noexcept {
    // The front is never a tombstone (lane_pop_front and lane_remove skip them eagerly).
    return lane_live_ == 0 ? nullptr : &lane_[lane_head_ & (lane_capacity_ - 1)];
  }
  [[nodiscard]] std::uint32_t lane_count() const noexcept {
    return (lane_tail_ - lane_head_) & kPositionMask;
  }

  void lane_push(TimerNode& node) {
    if (lane_count() == lane_capacity_) lane_grow();
    node.heap_index = TimerNode::kLaneBit | lane_tail_;
    lane_slot(lane_tail_) = Slot{node.deadline_ns, &node};
    lane_tail_ = (lane_tail_ + 1) & kPositionMask;
    lane_last_deadline_ = node.deadline_ns;
    ++lane_live_;
  }

  void lane_pop_front() noexcept {
    Slot& front = lane_slot(lane_head_);
    front.node->heap_index = TimerNode::kNotQueued;
    front.node = nullptr;
    lane_head_ = (lane_head_ + 1) & kPositionMask;
    --lane_live_;
    skip_tombstones();
  }

  void lane_remove(TimerNode& node) noexcept {
    lane_slot(node.heap_index & kPositionMask).node = nullptr;
    node.heap_index = TimerNode::kNotQueued;
    --lane_live_;
    ++lane_tombstones_;
    skip_tombstones();
    // Cancelled long timeouts would otherwise hold their slots until they reach the front.
    if (lane_tombstones_ > 64 && lane_tombstones_ > lane_live_) lane_compact();
  }

  void skip_tombstones() noexcept {
    while (lane_head_ != lane_tail_ && lane_slot(lane_head_).node == nullptr) {
      lane_head_ = (lane_head_ + 1) & kPositionMask;
      --lane_tombstones_;
    }
    if (lane_live_ == 0) lane_head_ = lane_tail_ = 0;  // (tombstones are 0 here too)
  }

  // Slides the live slots, in order, towards the front: the write position trails the read
  // position around the ring, so nothing is overwritten before it is read.
  void lane_compact() noexcept {
    std::uint32_t write = lane_head_;
    for (std::uint32_t read = lane_head_; read != lane_tail_; read = (read + 1) & kPositionMask) {
      const Slot slot = lane_slot(read);
      if (slot.node == nullptr) continue;
      slot.node->heap_index = TimerNode::kLaneBit | write;
      lane_slot(write) = slot;
      write = (write + 1) & kPositionMask;
    }
    lane_tail_ = write;
    lane_tombstones_ = 0;
  }

  // The new ring is left uninitialised: only the slots from head to tail are ever read, and
  // zeroing it touched every page of a ring that is at most half full after growing (memory per
  // timer, runtime/timers corio at 100,000: 225.7 -> 221.4 B; the time is unchanged, the first
  // touch moving to the pushes).
  void lane_grow() {
    const std::uint32_t capacity = lane_capacity_ == 0 ? 64 : lane_capacity_ * 2;
    std::unique_ptr<Slot[]> bigger(new Slot[capacity]);
    const std::uint32_t mask = capacity - 1;
    for (std::uint32_t position = lane_head_; position != lane_tail_;
         position = (position + 1) & kPositionMask) {
      bigger[position & mask] = lane_slot(position);
    }
    lane_ = std::move(bigger);
    lane_capacity_ = capacity;
  }

  // --- the heap ---

  void heap_remove(TimerNode& node) noexcept {
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
  std::unique_ptr<Slot[]> lane_;
  std::uint32_t lane_capacity_ = 0;  // a power of two (or 0)
  std::uint32_t lane_head_ = 0;      // position of the front (31-bit, wrapping)
  std::uint32_t lane_tail_ = 0;      // position after the last
  std::uint32_t lane_live_ = 0;
  std::uint32_t lane_tombstones_ = 0;
  std::int64_t lane_last_deadline_ = 0;  // the deadline last appended to the lane
  std::uint64_t next_seq_ = 0;
  std::vector<TimerNode*> pending_;  // parked relative timers; nullptr: removed while parked
  std::uint32_t pending_live_ = 0;
};

}  // namespace corio::detail
