// harness child processes: see child_spawn.hpp.
#include "harness/child_spawn.hpp"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

namespace harness {
namespace {

// The child between fork and exec: async-signal-safe calls only.
[[noreturn]] void become(const char* path, char* const* argv, ChildDescriptors fds, pid_t parent) {
  // Dies with the thread that forked it; the check closes the race with a parent that died
  // before the prctl.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);
  // The parent may block or ignore signals (corio::block_signals): a child must get SIGTERM.
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction default_action{};
  default_action.sa_handler = SIG_DFL;
  for (const int signal : {SIGTERM, SIGINT, SIGPIPE, SIGCHLD}) {
    ::sigaction(signal, &default_action, nullptr);
  }
  ::dup2(fds.stdin_fd, STDIN_FILENO);
  ::dup2(fds.stdout_fd, STDOUT_FILENO);
  ::dup2(fds.stderr_fd, STDERR_FILENO);
  // Descriptors the parent did not mark close-on-exec (a model's sockets) stay out of the child.
  ::close_range(3, ~0U, 0);
  ::execv(path, argv);
  constexpr std::string_view kExecFailed = "corio-bench: cannot execute the child program\n";
  [[maybe_unused]] const ssize_t ignored =
      ::write(STDERR_FILENO, kExecFailed.data(), kExecFailed.size());
  ::_exit(127);
}

// Trailing blanks removed, newlines shown as " | ".
std::string one_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  std::string shown;
  for (const char c : text) {
    if (c == '\n') {
      shown += " | ";
    } else {
      shown += c;
    }
  }
  return shown;
}

}  // namespace

pid_t spawn_child(const std::string& path, const std::vector<std::string>& argv,
                  ChildDescriptors fds) {
  std::vector<std::string> storage = argv;
  std::vector<char*> pointers;
  pointers.reserve(storage.size() + 1);
  for (std::string& arg : storage) pointers.push_back(arg.data());
  pointers.push_back(nullptr);

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) become(path.c_str(), pointers.data(), fds, parent);
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  return pid;
}

std::string find_program(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  const char* path = std::getenv("PATH");  // NOLINT(concurrency-mt-unsafe): read only
  std::string_view dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!dirs.empty()) {
    const auto colon = dirs.find(':');
    std::string candidate(dirs.substr(0, colon));
    if (candidate.empty()) candidate = ".";
    candidate += "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return {};
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    const char* name = ::sigabbrev_np(signal);
    return "killed by signal " + std::to_string(signal) +
           (name ? " (SIG" + std::string(name) + ")" : "");
  }
  return "wait status " + std::to_string(status);
}

std::string output_excerpt(int fd, std::size_t limit) {
  if (fd < 0) return {};
  std::string buffer(limit, '\0');
  const ssize_t n = ::pread(fd, buffer.data(), buffer.size(), 0);
  if (n <= 0) return {};
  buffer.resize(static_cast<std::size_t>(n));
  return one_line(std::move(buffer));
}

std::string output_tail(int fd, std::size_t limit) {
  if (fd < 0) return {};
  const off_t size = ::lseek(fd, 0, SEEK_END);
  if (size <= 0) return {};
  const off_t start = size > static_cast<off_t>(limit) ? size - static_cast<off_t>(limit) : 0;
  std::string buffer(static_cast<std::size_t>(size - start), '\0');
  const ssize_t n = ::pread(fd, buffer.data(), buffer.size(), start);
  if (n <= 0) return {};
  buffer.resize(static_cast<std::size_t>(n));
  while (!buffer.empty() && buffer.back() == '\n') buffer.pop_back();
  if (start > 0) {
    // Cut to whole lines: a partial first line says nothing.
    if (const auto newline = buffer.find('\n'); newline != std::string::npos) {
      buffer.erase(0, newline + 1);
    }
  }
  return one_line(std::move(buffer));
}

int kill_and_reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

bool reap_if_exited(pid_t pid, int& status, rusage* usage) {
  pid_t result = 0;
  do {
    result = ::wait4(pid, &status, WNOHANG, usage);
  } while (result < 0 && errno == EINTR);
  return result == pid;
}

std::string_view read_proc_file(const char* path, char* buffer, std::size_t size) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::size_t filled = 0;
  while (filled < size) {
    const ssize_t n = ::read(fd, buffer + filled, size - filled);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    filled += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return {buffer, filled};
}

std::int64_t proc_status_number(pid_t pid, std::string_view field) {
  const std::string path = "/proc/" + std::to_string(pid) + "/status";
  std::array<char, 4096> buffer{};
  const std::string_view status = read_proc_file(path.c_str(), buffer.data(), buffer.size());
  const std::string key = "\n" + std::string(field) + ":";
  const auto at = status.find(key);
  if (at == std::string_view::npos) return -1;
  std::string_view value = status.substr(at + key.size());
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  std::int64_t number = 0;
  std::size_t digits = 0;
  while (digits < value.size() && value[digits] >= '0' && value[digits] <= '9') {
    number = number * 10 + (value[digits] - '0');
    ++digits;
  }
  return digits == 0 ? -1 : number;
}

}  // namespace harness
