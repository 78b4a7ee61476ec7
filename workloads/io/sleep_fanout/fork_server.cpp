// The processes model's fork server (see fork_server.hpp): for each request it forks one
// child per task; the child sleeps D (nanosleep) and reports its id over one pipe shared by
// all children (16-byte writes, below PIPE_BUF, so they never interleave), then _exits; the
// server reads the reports until every child has closed its end, reaps each child, and
// answers. Children are forked with common::fork_child (workloads/common/child_process.hpp):
// PR_SET_PDEATHSIG makes every child die with the server, and the
// server dies with the benchmark (harness::ServerProcess starts it the same way), so nothing
// is left behind. A child that crashes or exits abnormally makes the reply say what happened.
//
// Memory: the first few children read their own private resident pages (Private_Clean +
// Private_Dirty in /proc/self/smaps_rollup: pages no other process maps, so the pages they
// still share copy-on-write with the server do not count) and page tables (VmPTE in
// /proc/self/status) after their wait, and send the sum with their report. The kernel's stack
// and task struct per process (about 20 KiB) are in neither figure.

#include "workloads/io/sleep_fanout/fork_server.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/socket.h>
#include <system_error>
#include <unistd.h>
#include <vector>

#include "harness/rusage.hpp"
#include "workloads/common/child_process.hpp"

namespace workloads::io::sleep_fanout {
namespace {

// What a child writes to the shared pipe when its wait is over.
struct Report {
  std::int64_t id = 0;
  std::int64_t memory_bytes = -1;  // the child's private memory, or -1 when not sampled
};
static_assert(sizeof(Report) <= PIPE_BUF, "a report must be written atomically");

// Children that sample their own memory: the children are identical, so a few tell it.
constexpr std::int64_t kSampledChildren = 4;

// More children than kernel.pid_max (32768 here) could never run at once anyway.
constexpr std::int64_t kMaxTasksPerRequest = 1 << 22;

// --- Child side: system calls only, no allocation. ---

// Sums the kB values of the lines of a /proc file that start with one of `keys`; -1 when the
// file cannot be read.
std::int64_t sum_proc_kib(const char* path, const char* const* keys, std::size_t key_count) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[4096];
  std::size_t size = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buf + size, sizeof buf - 1 - size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    size += static_cast<std::size_t>(n);
    if (size == sizeof buf - 1) break;
  }
  ::close(fd);
  buf[size] = '\0';

  std::int64_t kib = 0;
  for (const char* line = buf; *line != '\0';) {
    for (std::size_t k = 0; k < key_count; ++k) {
      const std::size_t key_length = std::strlen(keys[k]);
      if (std::strncmp(line, keys[k], key_length) != 0) continue;
      const char* digit = line + key_length;
      while (*digit == ' ' || *digit == '\t') ++digit;
      std::int64_t value = 0;
      for (; *digit >= '0' && *digit <= '9'; ++digit) value = value * 10 + (*digit - '0');
      kib += value;
    }
    const char* newline = std::strchr(line, '\n');
    if (newline == nullptr) break;
    line = newline + 1;
  }
  return kib;
}

std::int64_t own_private_memory_bytes() {
  static constexpr const char* kPrivate[] = {"Private_Clean:", "Private_Dirty:"};
  static constexpr const char* kPageTables[] = {"VmPTE:"};
  const std::int64_t private_kib = sum_proc_kib("/proc/self/smaps_rollup", kPrivate, 2);
  const std::int64_t page_table_kib = sum_proc_kib("/proc/self/status", kPageTables, 1);
  if (private_kib < 0 || page_table_kib < 0) return -1;
  return (private_kib + page_table_kib) * 1024;
}

// Exit status of a child that found the server gone (common::fork_child).
constexpr int kOrphaned = 2;

[[noreturn]] void run_child(std::int64_t id, std::int64_t delay_ns, int report_fd) {
  timespec remaining{.tv_sec = static_cast<time_t>(delay_ns / 1'000'000'000),
                     .tv_nsec = static_cast<long>(delay_ns % 1'000'000'000)};
  while (::nanosleep(&remaining, &remaining) != 0) {
    if (errno != EINTR) ::_exit(3);
  }

  Report report{.id = id};
  if (id < kSampledChildren) report.memory_bytes = own_private_memory_bytes();
  ssize_t written = 0;
  do {
    written = ::write(report_fd, &report, sizeof report);
  } while (written < 0 && errno == EINTR);
  ::_exit(written == static_cast<ssize_t>(sizeof report) ? 0 : 4);
}

// --- Server side. ---

std::string errno_text(const char* what, int error) {
  return std::string(what) + ": " + std::strerror(error);
}

void set_error(ForkReply& reply, const std::string& text) {
  if (reply.error[0] != '\0') return;  // the first failure is the one to report
  const std::size_t length = std::min(text.size(), sizeof reply.error - 1);
  std::memcpy(reply.error, text.data(), length);
  reply.error[length] = '\0';
}

ForkReply run_tasks(const ForkRequest& request) {
  ForkReply reply;
  if (request.tasks < 0 || request.tasks > kMaxTasksPerRequest || request.delay_ns < 0) {
    set_error(reply, "fork server: bad request (" + std::to_string(request.tasks) + " tasks of " +
                         std::to_string(request.delay_ns) + " ns)");
    return reply;
  }
  const std::int64_t rss_before = harness::current_rss_bytes();

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    set_error(reply, errno_text("pipe2", errno));
    return reply;
  }
  const int read_fd = pipe_fds[0];
  const int write_fd = pipe_fds[1];

  std::vector<pid_t> children;
  children.reserve(static_cast<std::size_t>(request.tasks));
  for (std::int64_t id = 0; id < request.tasks; ++id) {
    const pid_t pid = common::fork_child(kOrphaned);
    if (pid == 0) {
      ::close(read_fd);
      run_child(id, request.delay_ns, write_fd);
    }
    if (pid < 0) {
      set_error(reply, "the OS refused process " + std::to_string(id + 1) + " of " +
                           std::to_string(request.tasks) + " (" + errno_text("fork", errno) +
                           "): this machine's limits (ulimit -u, kernel.pid_max) allow fewer");
      break;
    }
    children.push_back(pid);
  }
  reply.server_growth_bytes = harness::current_rss_bytes() - rss_before;
  ::close(write_fd);  // from here, end of file means every child has exited

  // Reports, until the last child has closed its end. A 64 KiB pipe holds 4,096 of them, so
  // children rarely wait for this loop.
  Report reports[256];
  std::size_t buffered = 0;  // bytes of a report split across two reads
  auto* bytes = reinterpret_cast<char*>(reports);
  for (;;) {
    const ssize_t n = ::read(read_fd, bytes + buffered, sizeof reports - buffered);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      set_error(reply, errno_text("read from the children's pipe", errno));
      break;
    }
    if (n == 0) break;
    buffered += static_cast<std::size_t>(n);
    const std::size_t whole = buffered / sizeof(Report);
    for (std::size_t i = 0; i < whole; ++i) {
      ++reply.completed;
      reply.completed_id_sum += reports[i].id;
      if (reports[i].memory_bytes >= 0) {
        ++reply.sampled;
        reply.sampled_bytes += reports[i].memory_bytes;
      }
    }
    buffered -= whole * sizeof(Report);
    std::memmove(bytes, bytes + whole * sizeof(Report), buffered);
  }
  ::close(read_fd);

  // Reap every child, even after a failure: none is left a zombie.
  for (const pid_t pid : children) {
    const common::ChildEnd end = common::wait_for_child(pid);
    if (!end.succeeded()) {
      set_error(reply, "child process " + std::to_string(pid) + " (a task) " +
                           end.describe({{kOrphaned, "found the fork server gone"}}));
    }
  }
  return reply;
}

// Reads exactly `size` bytes; false on end of file (the benchmark closed the connection).
bool read_all(int fd, void* data, std::size_t size) {
  auto* bytes = static_cast<char*>(data);
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = ::read(fd, bytes + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::system_error(errno, std::generic_category(), "fork server: read");
    if (n == 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void write_all(int fd, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const char*>(data);
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = ::send(fd, bytes + done, size - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::system_error(errno, std::generic_category(), "fork server: send");
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

void serve_fork_server(harness::ServerContext& context) {
  context.ready();
  // One benchmark process at a time; it keeps its connection for all its calls.
  for (;;) {
    const int connection = ::accept4(context.listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      throw std::system_error(errno, std::generic_category(), "fork server: accept");
    }
    const int one = 1;
    ::setsockopt(connection, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    try {
      ForkRequest request;
      while (read_all(connection, &request, sizeof request)) {
        const ForkReply reply = run_tasks(request);
        write_all(connection, &reply, sizeof reply);
      }
    } catch (const std::system_error&) {
      // The benchmark went away mid-request (reset): wait for the next one.
    }
    ::close(connection);
  }
}

}  // namespace workloads::io::sleep_fanout
