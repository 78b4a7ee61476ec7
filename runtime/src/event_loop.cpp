#include <algorithm>
#include <coroutine>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <time.h>
#include <vector>

#include <corio/detail/spawned_task.hpp>
#include <corio/detail/spin_wait.hpp>
#include <corio/event_loop.hpp>

namespace corio {
namespace {

// A sleep's duration counts from a clock reading taken after the chunk of resumes that
// started it, so a sleep is late by at most 15 other resumes' work, not by the rest of a long
// batch: a server's batch parsed 256 requests before its sleeps' reading, and its 10 ms
// sleeps lasted 12.4-14.3 ms (io/http_fanout). A reading costs 26 ns here: one per 16
// resumes is under 2 ns a resume when every resume sleeps, and nothing when none does.
constexpr std::size_t kResumesPerClockReading = 16;

}  // namespace

EventLoop::EventLoop() {
  if (detail::tls_current_loop != nullptr) {
    throw std::logic_error(
        "corio: an event loop is already running on this thread; co_await the task instead of "
        "calling corio::run() from inside a running loop");
  }
  poller_ = std::make_unique<detail::Poller>();
  detail::tls_current_loop = this;
}

EventLoop::~EventLoop() {
  shutdown();
  blocking_pool_.reset();  // joins its threads; every job already completed (shutdown waited)
  detail::tls_current_loop = nullptr;
}

void EventLoop::throw_no_loop(const char* caller) {
  throw std::logic_error(std::string(caller) +
                         " needs a running event loop on this thread: call it from a task "
                         "started by corio::run()");
}

std::int64_t EventLoop::now_ns() noexcept {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

detail::BlockingPool& EventLoop::blocking_pool() {
  if (!blocking_pool_) {
    blocking_pool_ =
        std::make_unique<detail::BlockingPool>(detail::BlockingPool::default_max_threads());
  }
  return *blocking_pool_;
}

void EventLoop::post_remote(detail::RemoteCompletion& completion) noexcept {
  std::lock_guard lock(remote_mutex_);
  completion.next = nullptr;
  const bool was_empty = remote_head_ == nullptr;
  if (was_empty) {
    remote_head_ = &completion;
  } else {
    remote_tail_->next = &completion;
  }
  remote_tail_ = &completion;
  // Only the first post of a batch may need to wake the loop, and only if it sleeps or is
  // about to: a loop that is awake sees remote_posted_ before it blocks (wait_for_work). The two
  // seq_cst pairs (this store, then the load of sleeping_; the loop's store of sleeping_, then
  // its load of remote_posted_) make sure at least one side sees the other's store. Wake
  // before unlocking: once the lock is released the loop may take this completion, finish,
  // and destroy itself and its eventfd while a ThreadPool worker (which the loop does not
  // join) would still be calling wake().
  remote_posted_.store(true, std::memory_order_seq_cst);
  if (was_empty && sleeping_.load(std::memory_order_seq_cst)) poller_->wake();
}

void EventLoop::drain_remote() {
  if (!remote_posted_.load(std::memory_order_acquire)) return;
  detail::RemoteCompletion* completion = nullptr;
  {
    std::lock_guard lock(remote_mutex_);
    completion = remote_head_;
    remote_head_ = remote_tail_ = nullptr;
    remote_posted_.store(false, std::memory_order_relaxed);
  }
  while (completion != nullptr) {
    detail::RemoteCompletion* next = completion->next;
    --remote_pending_;
    completion->complete(completion);
    completion = next;
  }
}

void EventLoop::fire_expired_timers() {
  if (timers_.empty()) return;
  const std::int64_t now = now_ns();
  while (detail::TimerNode* node = timers_.pop_expired(now)) node->fire(node);
}

void EventLoop::wait_for_work() {
  // Every sleep is started by a resume, whose chunk commits it; this is for a loop driven from
  // outside the batch (next_deadline() must not see parked timers).
  if (timers_.has_pending()) timers_.commit_pending(now_ns());
  const std::int64_t deadline = timers_.empty() ? detail::kNoDeadline : timers_.next_deadline();
  const std::int64_t now = deadline == detail::kNoDeadline ? 0 : now_ns();
  bool block = deadline == detail::kNoDeadline || deadline > now;
  if (block && remote_pending_ > 0 && io_waiters_ == 0) {
    // Work is away on another thread and comes back through post_remote(): wait for it awake
    // for a moment, since a hand-off between two awake threads takes well under 1 us and
    // waking a sleeping loop takes an eventfd write and read and a scheduler round trip. Not
    // while a descriptor is watched: I/O must not wait for the spin to end.
    const std::int64_t budget =
        deadline == detail::kNoDeadline ? kRemoteSpinNs : std::min(deadline - now, kRemoteSpinNs);
    if (detail::spin_until([this] { return remote_posted_.load(std::memory_order_acquire); },
                           budget)) {
      block = false;
    }
  }
  if (block) {
    sleeping_.store(true, std::memory_order_seq_cst);
    if (remote_posted_.load(std::memory_order_seq_cst)) block = false;  // see post_remote()
  }
  if (block) {
    // `now` was read after the last wait returned, which is all the timerfd policy needs.
    poller_->wait(deadline, now);
  } else if (io_waiters_ > 0) {
    poller_->poll();
  }
  sleeping_.store(false, std::memory_order_relaxed);  // a stale true costs one spare wake()
}

// Always inlined, so that run_until_done() is one loop: a call of run_once() per iteration
// pushed and popped five registers and rechecked the task from outside, 8 instructions per
// switch of two yielding tasks (callgrind, runtime/switch).
[[gnu::always_inline]] inline void EventLoop::run_iteration() {
  // Block only when nothing is ready; with coroutines ready, look at I/O without waiting (and
  // skip the system call entirely when no descriptor is watched).
  if (ready_.empty()) {
    wait_for_work();
  } else if (io_waiters_ > 0) {
    poller_->poll();
  }
  fire_expired_timers();
  drain_remote();
  // Only what was ready when the iteration began runs now (asyncio's rule): I/O and timers
  // get their turn between batches, however busy the tasks keep each other.
  // Sleeps started by a chunk of resumes count from the end of that chunk: one clock reading
  // for all of them. (A batch of at most one chunk, as two tasks switching make, runs through
  // the second loop alone: the first costs them one comparison.)
  std::size_t batch = ready_.size();
  for (; batch > kResumesPerClockReading; batch -= kResumesPerClockReading) {
    for (std::size_t i = 0; i < kResumesPerClockReading; ++i) ready_.pop().resume();
    if (timers_.has_pending()) timers_.commit_pending(now_ns());
  }
  for (; batch > 0; --batch) ready_.pop().resume();
  if (timers_.has_pending()) timers_.commit_pending(now_ns());
}

void EventLoop::run_once() { run_iteration(); }

namespace {
[[noreturn]] void throw_deadlock() {
  throw std::runtime_error(
      "corio::run: the main task is waiting, but no task is ready and no timer, I/O or "
      "to_thread() call can wake it (deadlock)");
}
}  // namespace

void EventLoop::run_until_done(const detail::SpawnedTaskBase& task) {
  while (!task.done()) {
    if (!can_progress()) throw_deadlock();
    run_iteration();
  }
}

void EventLoop::shutdown() noexcept {
  if (closing_ && tasks_.empty()) return;
  closing_ = true;
  tasks_.for_each([](detail::SpawnedTaskBase& task) { task.request_cancel(); });
  try {
    while (!tasks_.empty() && can_progress()) run_once();
    // Work on other threads must come back before its frames may be destroyed.
    while (remote_pending_ > 0) run_once();
  } catch (...) {
    // run_once() throws only if epoll itself fails; nothing more can run: tear down below.
  }
  destroy_stuck_tasks();
}

void EventLoop::destroy_stuck_tasks() noexcept {
  // Tasks still here wait on something nothing will complete. Keep each alive while the
  // others' frames are destroyed (a frame may own a JoinHandle to another), destroy every
  // coroutine chain (awaiters unlink themselves from timers and wait lists), then drop our
  // reference and the running one. A JoinHandle still held elsewhere keeps the bookkeeping
  // (never done(); result() throws) until it goes. Destroying a frame that owns a TaskGroup
  // hands the group's children back to the registry: hence the outer loop.
  while (!tasks_.empty()) {
    std::vector<detail::SpawnedTaskBase*> stuck;
    tasks_.for_each([&stuck](detail::SpawnedTaskBase& task) {
      task.add_ref();
      stuck.push_back(&task);
    });
    for (detail::SpawnedTaskBase* task : stuck) {
      unregister_task(*task);
      task->destroy_coroutine();
    }
    ready_.clear();  // whatever is still queued belonged to the frames just destroyed
    for (detail::SpawnedTaskBase* task : stuck) {
      task->release();  // ours
      task->release();  // the one held "while running": it will never finish now
    }
  }
}

}  // namespace corio
