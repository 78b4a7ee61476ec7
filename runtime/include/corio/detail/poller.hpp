#pragma once
// The part of the loop that waits on the operating system (Linux: epoll).
//
//   corio::detail::PollEntry  registered with a file descriptor; told which events arrived
//   corio::detail::Poller     epoll set plus an eventfd other threads write to wake the loop
//
// Kept apart from the scheduler (as tokio keeps its driver apart): the loop asks it to wait for
// at most a timeout; it dispatches readiness to entries, which only schedule coroutines.

#include <cstdint>

namespace corio::detail {

struct PollEntry {
  void (*on_events)(PollEntry* self, std::uint32_t events) noexcept = nullptr;
};

class Poller {
 public:
  Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;
  ~Poller();

  // Thread-safe: makes a wait in progress (or the next one) return promptly.
  void wake() noexcept;

  // Waits up to timeout_ns (-1: no limit, 0: just look), dispatching events to their entries.
  // Returns the number of entries dispatched (wake-ups not counted).
  int wait(std::int64_t timeout_ns);

  // Registration of a descriptor; throws std::system_error on failure.
  void add(int fd, std::uint32_t events, PollEntry& entry);
  void modify(int fd, std::uint32_t events, PollEntry& entry);
  void remove(int fd) noexcept;

 private:
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  bool have_pwait2_ = true;  // epoll_pwait2 (ns timeouts) needs Linux 5.11; else epoll_wait
};

}  // namespace corio::detail
