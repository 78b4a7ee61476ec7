#pragma once
// The part of the loop that waits on the operating system (Linux: epoll).
//
//   corio::detail::PollEntry  registered with a file descriptor; told which events arrived
//   corio::detail::Poller     epoll set, an eventfd other threads write to wake the loop, and a
//                             timerfd that ends a wait at the loop's next deadline
//
// Kept apart from the scheduler (as tokio keeps its driver apart): the loop asks it to wait until
// at most a deadline; it dispatches readiness to entries, which only schedule coroutines.

#include <algorithm>
#include <cstdint>

namespace corio::detail {

struct PollEntry {
  void (*on_events)(PollEntry* self, std::uint32_t events) noexcept = nullptr;
};

// No deadline armed on the timerfd (or none asked for).
inline constexpr std::int64_t kNoDeadline = -1;

// Whether the timerfd must be set before a wait that has to end by `deadline` (absolute
// CLOCK_MONOTONIC ns, kNoDeadline: none), given the deadline it was last set to (`armed`) and
// the clock (`now`). A timerfd armed for a later time would wake the loop late, and one whose
// time has passed has fired already (its wake-up may have been taken by an earlier wait). One
// armed for an earlier time that has not yet passed is kept: the loop wakes early, finds nothing
// due and sets it again then. So a server that arms a timeout per request and cancels it when
// the reply goes out (every new deadline later than the earliest) makes no system call per
// request for its timers.
[[nodiscard]] constexpr bool timerfd_needs_setting(std::int64_t armed, std::int64_t deadline,
                                                   std::int64_t now) noexcept {
  if (deadline == kNoDeadline) return false;
  return armed == kNoDeadline || armed > deadline || armed <= now;
}

// How long a wait that must end by a deadline `rest_ns` away asks epoll to sleep before the
// timerfd takes over, or -1 to leave it all to the timerfd. A thread that sleeps long wakes
// late (the idle CPU goes into a deep state; on a VM the hypervisor deschedules it): one 3 s
// timerfd wait ended 150-350 us late on the reference VM, while a wait of 100-200 us ends
// within tens of us. So a long wait first ends early, by 0.5% of what is left and at least
// 100 us, and the loop waits again; the last wait, short, is the timerfd's. epoll's own slack
// (0.1% at nice 0, 0.5% niced, plus the thread's 50 us timerslack_ns) can only make the early
// wake-up less early, never late: the timerfd still ends the wait at the deadline.
[[nodiscard]] constexpr std::int64_t early_wake_timeout(std::int64_t rest_ns) noexcept {
  constexpr std::int64_t kMinMarginNs = 100'000;
  constexpr std::int64_t kMarginDivisor = 200;
  const std::int64_t margin = std::max(rest_ns / kMarginDivisor, kMinMarginNs);
  return rest_ns > 2 * margin ? rest_ns - margin : -1;
}

class Poller {
 public:
  Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;
  ~Poller();

  // Thread-safe: makes a wait in progress (or the next one) return promptly.
  void wake() noexcept;

  // Dispatches the events already there without waiting. Returns the number of entries
  // dispatched (wake-ups and the deadline not counted).
  int poll();

  // Waits for I/O, a wake(), or the monotonic clock to reach deadline_ns (kNoDeadline: no
  // limit; `now_ns`: the clock, read after the last wait returned), and dispatches the events.
  // The deadline is kept by a timerfd, which Linux ends on time, where a poll-type timeout may
  // end 50 us late (the thread's default timerslack_ns). May return before the deadline: a
  // wake-up, a signal, a deadline armed earlier, or early_wake_timeout's early wake-up.
  int wait(std::int64_t deadline_ns, std::int64_t now_ns);

  // Registration of a descriptor; throws std::system_error on failure.
  void add(int fd, std::uint32_t events, PollEntry& entry);
  void modify(int fd, std::uint32_t events, PollEntry& entry);
  void remove(int fd) noexcept;

 private:
  void watch(int fd, std::uint32_t events, void* marker);
  void close_descriptors() noexcept;
  // timeout_ns: -1 no limit, 0 just look.
  int wait_and_dispatch(std::int64_t timeout_ns);
  void arm_deadline(std::int64_t deadline_ns);

  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  int timer_fd_ = -1;
  std::int64_t armed_deadline_ = kNoDeadline;
  bool have_pwait2_ = true;  // epoll_pwait2 (ns timeouts) needs Linux 5.11; else epoll_wait
};

}  // namespace corio::detail
