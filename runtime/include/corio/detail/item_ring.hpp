#pragma once
// A growable ring buffer of items, FIFO: corio::Queue's storage (ready_queue.hpp says why the
// loop's ready queue is not one).
//
//   corio::detail::ItemRing<T>  push_back, front, pop_front, size; no allocation once it has
//                               grown to the peak number of items held at once
//
// Why not std::deque: it allocates and frees a 512-byte block per 512 bytes of items (two of
// the pipeline workload's 256-byte records), so a queue that fills and drains allocates all the
// time. The ring keeps its largest capacity, as Rust's VecDeque does: a bounded queue never
// holds more than the next power of two above its maxsize.

#include <bit>
#include <cstddef>
#include <new>
#include <utility>

namespace corio::detail {

template <class T>
class ItemRing {
 public:
  ItemRing() noexcept = default;
  ItemRing(const ItemRing&) = delete;
  ItemRing& operator=(const ItemRing&) = delete;
  ~ItemRing() {
    while (size_ > 0) pop_front();
    release(slots_);
  }

  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  template <class U>
  void push_back(U&& item) {
    if (size_ == capacity_) [[unlikely]]
      grow();
    ::new (static_cast<void*>(slot(head_ + size_))) T(std::forward<U>(item));
    ++size_;
  }

  // head_ stays below the capacity: no mask needed.
  [[nodiscard]] T& front() noexcept { return slots_[head_]; }

  void pop_front() noexcept {
    slots_[head_].~T();
    head_ = (head_ + 1) & (capacity_ - 1);
    --size_;
  }

 private:
  // Room for about 4 KiB of items at first, at least 4.
  static constexpr std::size_t kFirstCapacity =
      sizeof(T) >= 1024 ? 4 : std::bit_ceil(4096 / sizeof(T));

  T* slot(std::size_t index) const noexcept { return slots_ + (index & (capacity_ - 1)); }

  static T* allocate(std::size_t count) {
    return static_cast<T*>(::operator new(count * sizeof(T), std::align_val_t{alignof(T)}));
  }
  static void release(T* slots) noexcept {
    if (slots != nullptr) ::operator delete(slots, std::align_val_t{alignof(T)});
  }

  // Out of line so that push_back() stays small enough to inline. If moving an item throws
  // (a type whose move may throw is copied instead, when it can be), the ring is unchanged.
  [[gnu::noinline]] void grow() {
    const std::size_t capacity = capacity_ == 0 ? kFirstCapacity : capacity_ * 2;
    T* const slots = allocate(capacity);
    std::size_t moved = 0;
    try {
      for (; moved < size_; ++moved) {
        ::new (static_cast<void*>(slots + moved)) T(std::move_if_noexcept(*slot(head_ + moved)));
      }
    } catch (...) {
      for (std::size_t i = 0; i < moved; ++i) slots[i].~T();
      release(slots);
      throw;
    }
    for (std::size_t i = 0; i < size_; ++i) slot(head_ + i)->~T();
    release(slots_);
    slots_ = slots;
    capacity_ = capacity;
    head_ = 0;
  }

  T* slots_ = nullptr;
  std::size_t capacity_ = 0;  // always a power of two (or 0)
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace corio::detail
