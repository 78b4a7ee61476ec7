// Linux back end of the poller: epoll for readiness, an eventfd for cross-thread wake-ups, a
// timerfd for the loop's next deadline.
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <ctime>
#include <limits>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <system_error>
#include <unistd.h>

#include <corio/detail/poller.hpp>

namespace corio::detail {
namespace {

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// epoll_wait's timeout for a wait of timeout_ns (-1 no limit, 0 just look): whole milliseconds,
// rounded down (an early wake-up may come earlier still). One under a millisecond is left to
// the timerfd (-1) rather than turned into a busy 0.
int epoll_wait_timeout_ms(std::int64_t timeout_ns) {
  if (timeout_ns <= 0) return static_cast<int>(timeout_ns);
  const std::int64_t timeout_ms = timeout_ns / 1'000'000;
  if (timeout_ms == 0) return -1;
  return static_cast<int>(std::min<std::int64_t>(timeout_ms, std::numeric_limits<int>::max()));
}

}  // namespace

Poller::Poller() {
  // Every descriptor the loop needs is taken here: a loop must keep its timers when the
  // process has run out of descriptors (a server at its limit sheds connections, not timers).
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) throw_errno("corio: epoll_create1");
  try {
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd_ < 0) throw_errno("corio: eventfd");
    watch(wake_fd_, EPOLLIN, nullptr);  // nullptr marks the wake-up descriptor
    timer_fd_ = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    if (timer_fd_ < 0) throw_errno("corio: timerfd_create");
    // Edge-triggered: each expiry is reported once and the descriptor is never read (setting
    // the time again clears its expiry count), which saves a system call per expiry.
    watch(timer_fd_, EPOLLIN | EPOLLET, this);  // `this` marks the deadline descriptor
  } catch (...) {
    close_descriptors();
    throw;
  }
}

void Poller::watch(int fd, std::uint32_t events, void* marker) {
  epoll_event event{};
  event.events = events;
  event.data.ptr = marker;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) < 0) throw_errno("corio: epoll_ctl");
}

void Poller::close_descriptors() noexcept {
  for (const int fd : {timer_fd_, wake_fd_, epoll_fd_}) {
    if (fd >= 0) ::close(fd);
  }
}

Poller::~Poller() { close_descriptors(); }

void Poller::wake() noexcept {
  const std::uint64_t one = 1;
  // EAGAIN means the counter is already non-zero: the loop will wake anyway.
  [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
}

int Poller::poll() { return wait_and_dispatch(0); }

int Poller::wait(std::int64_t deadline_ns, std::int64_t now_ns) {
  if (deadline_ns == kNoDeadline) return wait_and_dispatch(-1);
  if (timerfd_needs_setting(armed_deadline_, deadline_ns, now_ns)) arm_deadline(deadline_ns);
  return wait_and_dispatch(early_wake_timeout(deadline_ns - now_ns));
}

void Poller::arm_deadline(std::int64_t deadline_ns) {
  itimerspec when{};
  // A deadline of 0 would disarm the timer; the clock is never that small after boot anyway.
  const std::int64_t at = deadline_ns > 0 ? deadline_ns : 1;
  when.it_value.tv_sec = static_cast<time_t>(at / 1'000'000'000);
  when.it_value.tv_nsec = static_cast<long>(at % 1'000'000'000);
  if (::timerfd_settime(timer_fd_, TFD_TIMER_ABSTIME, &when, nullptr) < 0) {
    throw_errno("corio: timerfd_settime");
  }
  armed_deadline_ = deadline_ns;
}

int Poller::wait_and_dispatch(std::int64_t timeout_ns) {
  // Uninitialised on purpose: the kernel writes the first `count` entries, and zeroing 3 KiB
  // on every wait was 12% of an echo server's user-space instructions (callgrind).
  std::array<epoll_event, 256> events;  // NOLINT(cppcoreguidelines-pro-type-member-init)
  const int capacity = static_cast<int>(events.size());
  int count = 0;
  if (timeout_ns > 0 && have_pwait2_) {
    const timespec timeout{.tv_sec = static_cast<time_t>(timeout_ns / 1'000'000'000),
                           .tv_nsec = static_cast<long>(timeout_ns % 1'000'000'000)};
    count = ::epoll_pwait2(epoll_fd_, events.data(), capacity, &timeout, nullptr);
    if (count < 0 && errno == ENOSYS) have_pwait2_ = false;
  }
  if (timeout_ns <= 0 || !have_pwait2_) {
    count = ::epoll_wait(epoll_fd_, events.data(), capacity, epoll_wait_timeout_ms(timeout_ns));
  }
  if (count < 0) {
    if (errno != EINTR) throw_errno("corio: epoll_wait");
    return 0;  // a signal arrived: return so the loop re-checks its timers
  }
  int dispatched = 0;
  for (int i = 0; i < count; ++i) {
    void* const owner = events[static_cast<std::size_t>(i)].data.ptr;
    if (owner == nullptr) {
      std::uint64_t value = 0;
      [[maybe_unused]] const ssize_t bytes = ::read(wake_fd_, &value, sizeof value);
      continue;
    }
    if (owner == this) continue;  // the deadline: the loop fires its timers next
    auto* entry = static_cast<PollEntry*>(owner);
    entry->on_events(entry, events[static_cast<std::size_t>(i)].events);
    ++dispatched;
  }
  return dispatched;
}

void Poller::add(int fd, std::uint32_t events, PollEntry& entry) {
  epoll_event event{};
  event.events = events;
  event.data.ptr = &entry;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) < 0) throw_errno("corio: epoll_ctl(ADD)");
}

void Poller::modify(int fd, std::uint32_t events, PollEntry& entry) {
  epoll_event event{};
  event.events = events;
  event.data.ptr = &entry;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event) < 0) throw_errno("corio: epoll_ctl(MOD)");
}

void Poller::remove(int fd) noexcept { ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr); }

}  // namespace corio::detail
