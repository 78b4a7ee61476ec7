// harness::ServerProcess: see server_process.hpp.
//
// The child is made by harness::spawn_child (child_spawn.hpp).
//
// Where the child's output goes: stdout (start_serve) is a pipe the parent reads until the
// "serving" line, then keeps open unread (servers do not print; a pipe holds 64 KiB); stderr
// (and start_command's stdout) is an anonymous memory file (memfd), which never blocks the
// child however much it writes, and is read back when the child fails or dies, so that the
// error says why.
#include "harness/net/server_process.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <iostream>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

#include "harness/child_spawn.hpp"

namespace harness {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto kStartTimeout = 10s;
constexpr auto kStopGrace = 5s;
constexpr std::string_view kServingPrefix = "corio-bench: serving ";

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

void close_fd(int& fd) noexcept {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

std::string with_output(std::string message, int output_fd) {
  const std::string excerpt = output_excerpt(output_fd);
  if (!excerpt.empty()) message += ": " + excerpt;
  return message;
}

struct Started {
  pid_t pid = -1;
  int stdout_read = -1;  // start_serve: the pipe's read end
  int output = -1;       // the memfd holding stderr (and stdout for start_command)
};

// Forks and execs `path` with `args`; stdout to a new pipe when `pipe_stdout`, else to the
// output memfd with stderr.
Started spawn(const std::string& path, const std::vector<std::string>& args, bool pipe_stdout) {
  Started started;
  started.output = ::memfd_create("corio-bench-server-output", MFD_CLOEXEC);
  if (started.output < 0) throw_errno("memfd_create");
  std::array<int, 2> out{-1, -1};
  if (pipe_stdout && ::pipe2(out.data(), O_CLOEXEC) != 0) {
    close_fd(started.output);
    throw_errno("pipe2");
  }
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  try {
    if (null_fd < 0) throw_errno("open /dev/null");
    started.pid = spawn_child(path, args,
                              {.stdin_fd = null_fd,
                               .stdout_fd = pipe_stdout ? out[1] : started.output,
                               .stderr_fd = started.output});
  } catch (...) {
    close_fd(null_fd);
    close_fd(out[0]);
    close_fd(out[1]);
    close_fd(started.output);
    throw;
  }
  close_fd(null_fd);
  close_fd(out[1]);
  started.stdout_read = out[0];
  return started;
}

// The port in "corio-bench: serving WORKLOAD (MODEL) on HOST:PORT"; 0 when unreadable.
std::uint16_t port_of(std::string_view line) {
  const auto colon = line.rfind(':');
  if (colon == std::string_view::npos) return 0;
  unsigned value = 0;
  const std::string_view digits = line.substr(colon + 1);
  if (digits.empty() || digits.size() > 5) return 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return 0;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value <= 65535 ? static_cast<std::uint16_t>(value) : 0;
}

// Every process's parent: (pid, ppid) from /proc/*/stat ("PID (COMM) STATE PPID ..."; COMM
// may hold spaces and parentheses, so the fields after it are found from its last ')').
std::vector<std::pair<pid_t, pid_t>> parent_links() {
  std::vector<std::pair<pid_t, pid_t>> links;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return links;
  std::array<char, 512> buffer{};
  while (const dirent* entry = ::readdir(proc)) {
    const std::string_view name = entry->d_name;
    if (name.empty() || name.find_first_not_of("0123456789") != std::string_view::npos) continue;
    const std::string path = "/proc/" + std::string(name) + "/stat";
    const std::string_view stat = read_proc_file(path.c_str(), buffer.data(), buffer.size());
    const auto close_paren = stat.rfind(')');
    if (close_paren == std::string_view::npos || close_paren + 4 >= stat.size()) continue;
    // ") S PPID ": the state is one character, then the parent's pid.
    std::string_view rest = stat.substr(close_paren + 4);
    pid_t ppid = 0;
    std::size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') {
      ppid = ppid * 10 + (rest[digits] - '0');
      ++digits;
    }
    if (digits == 0) continue;
    pid_t pid = 0;
    for (const char c : name) pid = pid * 10 + (c - '0');
    links.emplace_back(pid, ppid);
  }
  ::closedir(proc);
  return links;
}

// VmHWM of `pid` in bytes; -1 when unreadable (gone, a zombie, a kernel thread).
std::int64_t peak_rss_of(pid_t pid) {
  const std::int64_t kib = proc_status_number(pid, "VmHWM");
  return kib < 0 ? -1 : kib * 1024;
}

bool can_connect(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  const bool connected =
      ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return connected;
}

}  // namespace

TreeMemory process_tree_peak_rss(pid_t root) {
  TreeMemory memory;
  if (root <= 0) return memory;
  const std::vector<std::pair<pid_t, pid_t>> links = parent_links();
  std::vector<pid_t> tree{root};
  // Breadth first: tree[done..] are found but their children not yet looked for.
  for (std::size_t done = 0; done < tree.size(); ++done) {
    for (const auto& [pid, ppid] : links) {
      if (ppid == tree[done]) tree.push_back(pid);
    }
  }
  for (const pid_t pid : tree) {
    const std::int64_t peak = peak_rss_of(pid);
    if (peak < 0) continue;
    memory.peak_rss_bytes += peak;
    ++memory.processes;
  }
  return memory;
}

ServerProcess ServerProcess::start_serve(
    const std::string& workload, const std::string& model,
    const std::vector<std::pair<std::string, std::string>>& params) {
  std::vector<std::string> args{"corio-bench", "serve",    workload,     "--model",
                                model,         "--listen", "127.0.0.1:0"};
  for (const auto& [key, value] : params) {
    args.emplace_back("--param");
    args.push_back(key + "=" + value);
  }
  const std::string name = "server " + workload + " (" + model + ")";
  Started child = spawn("/proc/self/exe", args, true);
  ServerProcess process(child.pid, 0);
  process.stdout_fd_ = child.stdout_read;
  process.output_fd_ = child.output;
  process.name_ = name;

  // Wait for the serving line; the child exiting first (bad parameter, port in use) ends
  // its stdout, and a child that neither serves nor exits is killed after 10 s.
  std::string received;
  const auto deadline = Clock::now() + kStartTimeout;
  for (;;) {
    const auto newline = received.find('\n');
    if (newline != std::string::npos) {
      const std::string line = received.substr(0, newline);
      received.erase(0, newline + 1);
      if (line.starts_with(kServingPrefix) && port_of(line) != 0) {
        process.port_ = port_of(line);
        return process;
      }
      continue;  // some other line: keep reading
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left <= 0ms) {
      const int status = kill_and_reap(process.pid_);
      process.pid_ = -1;
      throw std::runtime_error(
          with_output(name + " did not print its serving line within 10 s (then " +
                          describe_status(status) + ")",
                      process.output_fd_));
    }
    pollfd ready{.fd = process.stdout_fd_, .events = POLLIN, .revents = 0};
    const int polled =
        ::poll(&ready, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 100)));
    int status = 0;
    if (polled > 0) {
      std::array<char, 512> chunk{};
      const ssize_t n = ::read(process.stdout_fd_, chunk.data(), chunk.size());
      if (n > 0) {
        received.append(chunk.data(), static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      // End of stdout: the child is exiting (or closed it, and is killed at the deadline).
      close_fd(process.stdout_fd_);
      bool exited = false;
      while (!(exited = reap_if_exited(process.pid_, status)) && Clock::now() < deadline) {
        std::this_thread::sleep_for(1ms);
      }
      if (!exited) continue;  // past the deadline: the timeout branch above kills it
    } else if (!reap_if_exited(process.pid_, status)) {
      continue;
    }
    process.pid_ = -1;
    throw std::runtime_error(with_output(
        name + " failed to start (" + describe_status(status) + ")", process.output_fd_));
  }
}

ServerProcess ServerProcess::start_command(const std::vector<std::string>& argv,
                                           std::uint16_t port) {
  if (argv.empty()) throw std::invalid_argument("ServerProcess::start_command: empty argv");
  const std::string path = find_program(argv[0]);
  if (path.empty()) throw std::runtime_error("cannot run '" + argv[0] + "': not found in PATH");
  const std::string name = "server '" + argv[0] + "'";
  Started child = spawn(path, argv, false);
  ServerProcess process(child.pid, port);
  process.output_fd_ = child.output;
  process.name_ = name;

  const auto deadline = Clock::now() + kStartTimeout;
  for (auto pause = 1ms;; pause = std::min(pause * 2, 50ms)) {
    if (can_connect(port)) return process;
    int status = 0;
    if (reap_if_exited(process.pid_, status)) {
      process.pid_ = -1;
      throw std::runtime_error(with_output(
          name + " failed to start (" + describe_status(status) + ")", process.output_fd_));
    }
    if (Clock::now() >= deadline) {
      const int killed = kill_and_reap(process.pid_);
      process.pid_ = -1;
      throw std::runtime_error(
          with_output(name + " did not accept connections on 127.0.0.1:" + std::to_string(port) +
                          " within 10 s (then " + describe_status(killed) + ")",
                      process.output_fd_));
    }
    std::this_thread::sleep_for(pause);
  }
}

ServerProcess::ServerProcess(ServerProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      port_(other.port_),
      stdout_fd_(std::exchange(other.stdout_fd_, -1)),
      output_fd_(std::exchange(other.output_fd_, -1)),
      name_(std::move(other.name_)) {}

ServerProcess& ServerProcess::operator=(ServerProcess&& other) noexcept {
  if (this != &other) {
    release();
    pid_ = std::exchange(other.pid_, -1);
    port_ = other.port_;
    stdout_fd_ = std::exchange(other.stdout_fd_, -1);
    output_fd_ = std::exchange(other.output_fd_, -1);
    name_ = std::move(other.name_);
  }
  return *this;
}

ServerProcess::~ServerProcess() { release(); }

void ServerProcess::release() noexcept {
  try {
    stop();
  } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor reports nothing
  }
  close_fd(stdout_fd_);
  close_fd(output_fd_);
}

// A server that ignored SIGTERM, ended some other way than by it (or exit 0), or wrote on
// stderr — a sanitizer report, a warning — still served its run, so its figures stand; but
// what it said must not be lost with its memory file: one line on this process's stderr.
void ServerProcess::report_unusual_stop(bool stopped_by_sigterm_in_time, int status) const {
  std::string ending;
  if (!stopped_by_sigterm_in_time) {
    ending = " did not stop within 5 s of SIGTERM and was killed";
  } else if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0) &&
             !(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM)) {
    ending = " ended with " + describe_status(status) + " when stopped";
  }
  const std::string said = output_excerpt(output_fd_);
  if (ending.empty() && said.empty()) return;
  std::cerr << "corio-bench: note: " + name_ + (ending.empty() ? " wrote on stderr" : ending) +
                   (said.empty() ? "" : ": " + said) + "\n";
}

ServerUsage ServerProcess::stop() {
  if (pid_ < 0) return {};
  const pid_t pid = std::exchange(pid_, -1);
  rusage usage{};
  int status = 0;
  if (reap_if_exited(pid, status, &usage)) {
    std::string message = with_output(
        "server died: " + name_ + " ended before it was stopped (" + describe_status(status) + ")",
        output_fd_);
    close_fd(stdout_fd_);
    close_fd(output_fd_);
    throw std::runtime_error(message);
  }
  // While it still runs: its peak memory (VmHWM is gone once it has exited).
  const TreeMemory memory = process_tree_peak_rss(pid);
  ::kill(pid, SIGTERM);
  const auto deadline = Clock::now() + kStopGrace;
  bool reaped = false;
  for (auto pause = 100us;
       !(reaped = reap_if_exited(pid, status, &usage)) && Clock::now() < deadline;
       pause = std::min(pause * 2, std::chrono::microseconds(10ms))) {
    std::this_thread::sleep_for(pause);
  }
  if (!reaped) {
    ::kill(pid, SIGKILL);
    while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
  }
  report_unusual_stop(reaped, status);
  close_fd(stdout_fd_);
  close_fd(output_fd_);
  ServerUsage result;
  // Not usage.ru_maxrss: that holds this process's peak, copied at fork (see the header).
  result.max_rss_bytes = memory.peak_rss_bytes;
  result.processes = memory.processes;
  result.voluntary_switches = usage.ru_nvcsw;
  result.involuntary_switches = usage.ru_nivcsw;
  return result;
}

}  // namespace harness
