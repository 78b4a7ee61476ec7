#include "harness/rusage.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace harness {
namespace {

// Reads a whole small /proc file into buf; returns the byte count, or -1.
ssize_t read_proc_file(const char* path, char* buf, std::size_t size) noexcept {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = 0;
  do {
    n = ::read(fd, buf, size);
  } while (n < 0 && errno == EINTR);
  ::close(fd);
  return n;
}

}  // namespace

std::int64_t current_rss_bytes() noexcept {
  // statm: "size resident shared text lib data dt", all in pages; one read returns it all.
  char buf[128];
  const ssize_t n = read_proc_file("/proc/self/statm", buf, sizeof buf);
  if (n <= 0) return 0;
  const char* p = buf;
  const char* const end = buf + n;
  while (p < end && *p != ' ') ++p;  // skip "size"
  while (p < end && *p == ' ') ++p;
  std::int64_t pages = 0;
  for (; p < end && *p >= '0' && *p <= '9'; ++p) pages = pages * 10 + (*p - '0');
  static const std::int64_t page_size = ::sysconf(_SC_PAGESIZE);
  return pages * page_size;
}

std::int64_t peak_rss_bytes() noexcept {
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return static_cast<std::int64_t>(usage.ru_maxrss) * 1024;  // Linux reports kibibytes
}

bool reset_peak_rss() noexcept {
  const int fd = ::open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  // "5" resets only the high-water mark; "1".."4" would also clear the page-table
  // referenced/soft-dirty bits, which costs a walk of every mapping.
  const bool ok = ::write(fd, "5", 1) == 1;
  ::close(fd);
  return ok;
}

std::chrono::nanoseconds cpu_time_of(const rusage& usage) noexcept {
  const auto seconds = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec;
  const auto micros = usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
  return std::chrono::seconds(seconds) + std::chrono::microseconds(micros);
}

std::chrono::nanoseconds cpu_time() noexcept {
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) return {};
  return cpu_time_of(usage);
}

ContextSwitches context_switches() noexcept {
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) return {};
  return {.voluntary = usage.ru_nvcsw, .involuntary = usage.ru_nivcsw};
}

}  // namespace harness
