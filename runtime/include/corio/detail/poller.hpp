#pragma once
// The part of the loop that waits on the operating system (Linux: epoll).
//
//   corio::detail::PollEntry  registered with a file descriptor; told which events arrived
//   corio::detail::Poller     epoll set plus an eventfd other threads write to wake the loop
//
// Kept apart from the scheduler (as tokio keeps its driver apart): the loop asks it to wait for
// at most a timeout; it dispatches readiness to entries, which only schedule coroutines.

#include <algorithm>
#include <cstdint>

namespace corio::detail {

struct PollEntry {
  void (*on_events)(PollEntry* self, std::uint32_t events) noexcept = nullptr;
};

// The timeout to give epoll so that it ends by `timeout_ns` despite the kernel's slack.
// Linux lets a poll-type timeout (epoll_wait, epoll_pwait2, select) end late by 0.1% of its
// length, 0.5% for a niced thread, at most 100 ms (select_estimate_accuracy in fs/select.c):
// a 3 s sleep ended 2-7 ms late on every corio timer, where Asio's timerfd was not. Asking
// for that much less wakes the loop slightly early instead; it finds nothing due and waits
// the rest, whose slack is 0.5% of the rest. One extra wait per timer expiry, no system call
// per timer (a timerfd would need one whenever the earliest deadline changes).
[[nodiscard]] constexpr std::int64_t timeout_before_slack(std::int64_t timeout_ns) noexcept {
  constexpr std::int64_t kMaxSlackNs = 100'000'000;  // the kernel's MAX_SLACK
  constexpr std::int64_t kNicedSlackDivisor = 200;   // 0.5%: the larger of the two
  if (timeout_ns <= 0) return timeout_ns;
  return timeout_ns - std::min(timeout_ns / kNicedSlackDivisor, kMaxSlackNs);
}

class Poller {
 public:
  Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;
  ~Poller();

  // Thread-safe: makes a wait in progress (or the next one) return promptly.
  void wake() noexcept;

  // Waits up to timeout_ns (-1: no limit, 0: just look), dispatching events to their entries.
  // Returns the number of entries dispatched (wake-ups not counted). May return before
  // timeout_ns has passed (see timeout_before_slack), never more than the kernel's 50 us
  // default timer slack after it.
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
