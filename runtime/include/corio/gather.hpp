#pragma once
// corio::gather: run tasks concurrently and wait for all of them (asyncio.gather).
//
//   gather(Task<A>, Task<B>, ...)  -> Task<std::tuple<A, B, ...>>   (void -> std::monostate)
//   gather(std::vector<Task<T>>)   -> Task<std::vector<T>>          (results in input order)
//
// Starts:   lazily, like any Task. When awaited, each child runs at once, in order, until its
//           first suspension (Python 3.12's eager tasks): children that never suspend finish
//           without a trip through the loop, and a tree of gathers runs depth first, keeping a
//           few frames alive instead of all of them.
// Resumes:  the awaiter resumes when the last child finishes, directly from that child.
// Errors:   waits for every child, then rethrows the first exception raised (by time); the
//           other children are not cancelled by a sibling's failure (asyncio's rule).
// Cancellation: cancelling the awaiting task cancels every unfinished child, waits for all of
//           them, then raises CancelledError.
// Thread safety: loop thread only.
// Cost:     one frame for gather itself and one allocation for the children's bookkeeping
//           (their results included; from the frame pool up to 1 KiB), plus the children's own
//           frames, each freed as soon as its child finishes.
// Example:  runtime/examples/sequential_vs_gather.cpp

#include <coroutine>
#include <cstddef>
#include <exception>
#include <memory>
#include <tuple>
#include <utility>
#include <vector>

#include <corio/detail/frame_allocator.hpp>
#include <corio/detail/task_core.hpp>
#include <corio/errors.hpp>
#include <corio/task.hpp>

namespace corio {

namespace detail {

// What the children of one gather share; also the awaiter the gathering coroutine suspends on.
class GatherBase : private CancelHook {
 public:
  GatherBase() noexcept : CancelHook{&GatherBase::handle_cancel} {}
  GatherBase(const GatherBase&) = delete;
  GatherBase& operator=(const GatherBase&) = delete;

  // A child finished; returns the coroutine to transfer to (the parent, when it was last).
  std::coroutine_handle<> child_done(const std::exception_ptr& error) noexcept {
    if (error && !first_error_) first_error_ = error;
    if (--remaining_ == 0 && parent_) {
      if (parent_core_ != nullptr) parent_core_->clear_hook();
      return std::exchange(parent_, {});
    }
    return std::noop_coroutine();
  }

  [[nodiscard]] bool await_ready() const noexcept { return false; }
  template <class Promise>
  bool await_suspend(std::coroutine_handle<Promise> awaiting) {
    parent_core_ = core_of(awaiting);
    if (parent_core_ != nullptr && parent_core_->take_pending_cancel()) {
      cancelled_ = true;
      return false;
    }
    start_children();
    if (remaining_ == 0) return false;
    parent_ = awaiting;
    if (parent_core_ != nullptr) parent_core_->install_hook(this);
    return true;
  }
  void await_resume() const {
    if (cancelled_) throw CancelledError{};
    if (first_error_) std::rethrow_exception(first_error_);
  }

 protected:
  ~GatherBase() = default;
  virtual void start_children() = 0;
  virtual void cancel_children() noexcept = 0;

  std::size_t remaining_ = 0;

 private:
  static void handle_cancel(CancelHook* hook) noexcept {
    auto& self = static_cast<GatherBase&>(*hook);
    self.cancelled_ = true;
    self.cancel_children();  // the parent resumes when the last child has finished
  }

  std::coroutine_handle<> parent_;
  TaskCore* parent_core_ = nullptr;
  std::exception_ptr first_error_;
  bool cancelled_ = false;
};

// One child of a gather. When the child's coroutine finishes, its result moves here and its
// frame is destroyed at once, while it is still in cache: with 100,000 children, collecting
// results from the frames afterwards and destroying them with the gather were two more passes
// over memory the size of all the frames, a cache miss per child each (profiled: 10% of a
// 100,000-sleep gather in take_result alone). The coroutine and the result share one slot (the
// one is gone before the other exists) and the flags sit in TaskCore's spare bytes: 40 bytes a
// child for a 64-bit result, where a Task, a std::optional and a flag of its own took 64.
template <class T>
class GatherChild final : public TaskCore {
 public:
  explicit GatherChild(Task<T> task) noexcept { std::construct_at(&task_, std::move(task)); }
  GatherChild(const GatherChild&) = delete;
  GatherChild& operator=(const GatherChild&) = delete;
  ~GatherChild() {
    if (!root_done_) {
      std::destroy_at(&task_);  // torn down unfinished (loop shutdown) or never started
    } else if (gather_has_value_) {
      std::destroy_at(&result_);
    }
  }

  // Runs the child until its first suspension (or to its end).
  void start(GatherBase& gather) {
    gather_ = &gather;
    auto& promise = task_.handle().promise();
    promise.core = this;
    promise.continuation = {};
    task_.handle().resume();
  }
  void cancel() noexcept {
    if (!root_done_) request_cancel();
  }
  // Called from the child's final suspension: the frame is suspended for good, so destroying
  // it here is allowed (nothing touches it after this returns).
  std::coroutine_handle<> on_root_done() noexcept override {
    root_done_ = true;
    // The frame leaves the slot for the result, and is destroyed when this returns.
    const Task<T> finished = std::move(task_);
    std::destroy_at(&task_);
    auto& promise = finished.handle().promise();
    std::exception_ptr error = promise.exception();
    if (!error) {
      try {
        std::construct_at(&result_, take_returned_value(promise));
        gather_has_value_ = true;
      } catch (...) {  // the result's move constructor threw: that is the child's error
        error = std::current_exception();
      }
    }
    return gather_->child_done(error);
  }
  // Only after every child succeeded (the gather rethrows the first error otherwise).
  NonVoid<T> take() { return std::move(result_); }

 private:
  union {
    Task<T> task_;       // until the child finishes
    NonVoid<T> result_;  // after, if it returned a value (gather_has_value_)
  };
  GatherBase* gather_ = nullptr;
};

// The children live in one array built in place from the tasks, taken from the frame pool
// when it fits (up to 1 KiB: a gather of up to about 15 children), so that a tree of small
// gathers (skynet) calls malloc only for the vectors its own code makes.
template <class T>
class VectorGather final : public GatherBase {
 public:
  explicit VectorGather(std::vector<Task<T>> tasks)
      : count_(tasks.size()), children_(allocate_children(count_)) {
    for (std::size_t i = 0; i < count_; ++i) {
      std::construct_at(children_ + i, std::move(tasks[i]));  // noexcept: no partial state
    }
  }
  VectorGather(const VectorGather&) = delete;
  VectorGather& operator=(const VectorGather&) = delete;
  ~VectorGather() {
    if (children_ == nullptr) return;
    std::destroy_n(children_, count_);
    frame_deallocate(children_, count_ * sizeof(GatherChild<T>));
  }
  std::vector<NonVoid<T>> collect() {
    std::vector<NonVoid<T>> results;
    results.reserve(count_);
    for (std::size_t i = 0; i < count_; ++i) results.push_back(children_[i].take());
    return results;
  }

 private:
  void start_children() override {
    remaining_ = count_;
    for (std::size_t i = 0; i < count_; ++i) children_[i].start(*this);
  }
  void cancel_children() noexcept override {
    for (std::size_t i = 0; i < count_; ++i) children_[i].cancel();
  }

  static GatherChild<T>* allocate_children(std::size_t count) {
    static_assert(alignof(GatherChild<T>) <= kFrameGranule,
                  "corio::gather: a result type aligned beyond 16 bytes is not supported");
    // No children, no block: the pool has no size class for 0 bytes.
    if (count == 0) return nullptr;
    return static_cast<GatherChild<T>*>(frame_allocate(count * sizeof(GatherChild<T>)));
  }

  std::size_t count_;
  GatherChild<T>* children_;
};

template <class... Ts>
class TupleGather final : public GatherBase {
 public:
  explicit TupleGather(Task<Ts>... tasks) : children_(std::move(tasks)...) {}
  std::tuple<NonVoid<Ts>...> collect() {
    return std::apply([](auto&... child) { return std::tuple<NonVoid<Ts>...>{child.take()...}; },
                      children_);
  }

 private:
  void start_children() override {
    remaining_ = sizeof...(Ts);
    std::apply([this](auto&... child) { (child.start(*this), ...); }, children_);
  }
  void cancel_children() noexcept override {
    std::apply([](auto&... child) { (child.cancel(), ...); }, children_);
  }

  std::tuple<GatherChild<Ts>...> children_;
};

}  // namespace detail

template <class T>
Task<std::vector<detail::NonVoid<T>>> gather(std::vector<Task<T>> tasks) {
  detail::VectorGather<T> group(std::move(tasks));
  co_await group;
  co_return group.collect();
}

template <class... Ts>
Task<std::tuple<detail::NonVoid<Ts>...>> gather(Task<Ts>... tasks) {
  detail::TupleGather<Ts...> group(std::move(tasks)...);
  co_await group;
  co_return group.collect();
}

}  // namespace corio
