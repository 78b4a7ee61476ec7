#pragma once
// Intrusive doubly linked list used for every wait queue (FIFO) and task registry.
//
//   corio::detail::ListHook       the links, embedded in the waiting object
//   corio::detail::IntrusiveList  a FIFO of objects deriving from ListHook (or from a distinct
//                                 subclass of it per list, when one object sits in two lists)
//
// A node unlinks itself when destroyed, so a coroutine frame destroyed while it waits (run()'s
// shutdown, a destroyed generator) never leaves a dangling entry behind. O(1) everything, no
// allocation: the node lives in the awaiter, which lives in the waiting coroutine's frame.

#include <cassert>
#include <cstddef>

namespace corio::detail {

class ListHook {
 public:
  ListHook() = default;
  ListHook(const ListHook&) = delete;
  ListHook& operator=(const ListHook&) = delete;
  ~ListHook() { unlink(); }

  [[nodiscard]] bool linked() const noexcept { return prev_ != nullptr; }

  void unlink() noexcept {
    if (prev_ == nullptr) return;
    prev_->next_ = next_;
    next_->prev_ = prev_;
    prev_ = next_ = nullptr;
  }

 private:
  template <class T, class Hook>
  friend class IntrusiveList;
  ListHook* prev_ = nullptr;
  ListHook* next_ = nullptr;
};

template <class T, class Hook = ListHook>
class IntrusiveList {
 public:
  IntrusiveList() noexcept { head_.prev_ = head_.next_ = &head_; }
  IntrusiveList(const IntrusiveList&) = delete;
  IntrusiveList& operator=(const IntrusiveList&) = delete;
  ~IntrusiveList() {
    while (!empty()) pop_front();
    head_.prev_ = head_.next_ = nullptr;  // the sentinel is not a member
  }

  [[nodiscard]] bool empty() const noexcept { return head_.next_ == &head_; }

  void push_back(T& item) noexcept {
    ListHook& node = static_cast<Hook&>(item);
    assert(!node.linked());
    node.prev_ = head_.prev_;
    node.next_ = &head_;
    head_.prev_->next_ = &node;
    head_.prev_ = &node;
  }

  [[nodiscard]] T& front() noexcept {
    assert(!empty());
    return to_item(head_.next_);
  }

  T& pop_front() noexcept {
    T& item = front();
    static_cast<Hook&>(item).unlink();
    return item;
  }

  // Calls fn(item) for each item; fn may unlink the item it is given, nothing else.
  template <class Fn>
  void for_each(Fn&& fn) {
    for (ListHook* node = head_.next_; node != &head_;) {
      ListHook* next = node->next_;
      fn(to_item(node));
      node = next;
    }
  }

  [[nodiscard]] std::size_t size() const noexcept {
    std::size_t count = 0;
    for (const ListHook* node = head_.next_; node != &head_; node = node->next_) ++count;
    return count;
  }

 private:
  static T& to_item(ListHook* node) noexcept { return static_cast<T&>(static_cast<Hook&>(*node)); }

  ListHook head_;
};

}  // namespace corio::detail
