// Linux back end of the poller: epoll for readiness, an eventfd for cross-thread wake-ups.
#include <array>
#include <cerrno>
#include <cstdint>
#include <ctime>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <system_error>
#include <unistd.h>

#include <corio/detail/poller.hpp>

namespace corio::detail {
namespace {

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

Poller::Poller() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) throw_errno("corio: epoll_create1");
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) {
    ::close(epoll_fd_);
    throw_errno("corio: eventfd");
  }
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = nullptr;  // nullptr marks the wake-up descriptor
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event) < 0) {
    ::close(wake_fd_);
    ::close(epoll_fd_);
    throw_errno("corio: epoll_ctl(eventfd)");
  }
}

Poller::~Poller() {
  ::close(wake_fd_);
  ::close(epoll_fd_);
}

void Poller::wake() noexcept {
  const std::uint64_t one = 1;
  // EAGAIN means the counter is already non-zero: the loop will wake anyway.
  [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
}

int Poller::wait(std::int64_t timeout_ns) {
  // Uninitialised on purpose: the kernel writes the first `count` entries, and zeroing 3 KiB
  // on every wait was 12% of an echo server's user-space instructions (callgrind).
  std::array<epoll_event, 256> events;  // NOLINT(cppcoreguidelines-pro-type-member-init)
  int count = 0;
  for (;;) {
    if (have_pwait2_) {
      timespec timeout{};
      timespec* timeout_ptr = nullptr;
      if (timeout_ns >= 0) {
        const std::int64_t asked_ns = timeout_before_slack(timeout_ns);
        timeout.tv_sec = static_cast<time_t>(asked_ns / 1'000'000'000);
        timeout.tv_nsec = static_cast<long>(asked_ns % 1'000'000'000);
        timeout_ptr = &timeout;
      }
      count = ::epoll_pwait2(epoll_fd_, events.data(), static_cast<int>(events.size()), timeout_ptr,
                             nullptr);
      if (count < 0 && errno == ENOSYS) {
        have_pwait2_ = false;
        continue;
      }
    } else {
      // Round up to whole milliseconds so a timer is never polled for before its deadline.
      const int timeout_ms =
          timeout_ns < 0 ? -1 : static_cast<int>((timeout_ns + 999'999) / 1'000'000);
      count = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), timeout_ms);
    }
    if (count >= 0) break;
    if (errno != EINTR) throw_errno("corio: epoll_wait");
    // EINTR: a signal arrived; return so the loop re-checks its timers.
    return 0;
  }
  int dispatched = 0;
  for (int i = 0; i < count; ++i) {
    auto* entry = static_cast<PollEntry*>(events[static_cast<std::size_t>(i)].data.ptr);
    if (entry == nullptr) {
      std::uint64_t value = 0;
      [[maybe_unused]] const ssize_t bytes = ::read(wake_fd_, &value, sizeof value);
      continue;
    }
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
