// wrk as a second load generator: see wrk.hpp.
#include "workloads/io/http_plaintext/wrk.hpp"

#include <cerrno>
#include <charconv>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>
#include <vector>

#include "workloads/io/http_plaintext/tools.hpp"

extern char** environ;  // NOLINT: POSIX declares it nowhere

namespace workloads::io::http_plaintext {
namespace {

constexpr std::string_view kReportTag = "corio-bench-wrk:";

// wrk calls done() once, after every thread has stopped; latency is in microseconds.
constexpr std::string_view kDoneScript = R"lua(
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "corio-bench-wrk: requests=%d duration_us=%d connect=%d read=%d write=%d status=%d " ..
    "timeout=%d p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max))
end
)lua";

// wrk stops itself after `duration`; this much longer and it is hung.
constexpr std::chrono::seconds kOverrun{30};

struct Child {
  pid_t pid = -1;
  int stdout_fd = -1;
};

// fork + exec with stdout (and stderr) to a pipe. Everything the child needs is built before
// fork: in a process that may have threads, the child only makes async-signal-safe calls.
Child spawn(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));  // NOLINT
  args.push_back(nullptr);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) < 0) {
    throw std::system_error(errno, std::generic_category(), "pipe2");
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::dup2(pipe_fds[1], STDERR_FILENO);
    ::execve(args[0], args.data(), environ);
    ::_exit(127);
  }
  const int error = errno;
  ::close(pipe_fds[1]);
  if (pid < 0) {
    ::close(pipe_fds[0]);
    throw std::system_error(error, std::generic_category(), "fork for wrk");
  }
  return {.pid = pid, .stdout_fd = pipe_fds[0]};
}

// Reads the child's output until it closes its end or the deadline passes (then kills it);
// reaps it. Returns the output and the wait status.
std::pair<std::string, int> collect(Child child, std::chrono::steady_clock::time_point deadline) {
  std::string output;
  char buffer[4096];
  bool killed = false;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 && !killed) {
      ::kill(child.pid, SIGKILL);
      killed = true;
    }
    pollfd readable{.fd = child.stdout_fd, .events = POLLIN, .revents = 0};
    const int ready = ::poll(&readable, 1, killed ? -1 : static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    const ssize_t got = ::read(child.stdout_fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    output.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(child.stdout_fd);
  int status = 0;
  while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (killed)
    output +=
        "\n(killed: still running " + std::to_string(kOverrun.count()) + " s after its duration)";
  return {std::move(output), status};
}

// "key=123" in `line` -> 123; nullopt when absent or not a number.
std::optional<std::int64_t> field(std::string_view line, std::string_view key) {
  std::size_t at = 0;
  for (;;) {
    at = line.find(key, at);
    if (at == std::string_view::npos) return std::nullopt;
    const bool starts_word = at == 0 || line[at - 1] == ' ';
    at += key.size();
    if (starts_word && at < line.size() && line[at] == '=') break;
  }
  std::int64_t value = 0;
  const char* first = line.data() + at + 1;
  const auto [end, error] = std::from_chars(first, line.data() + line.size(), value);
  if (error != std::errc{} || end == first) return std::nullopt;
  return value;
}

std::string last_lines(const std::string& output) {
  constexpr std::size_t kMost = 400;
  return output.size() <= kMost ? output : "..." + output.substr(output.size() - kMost);
}

}  // namespace

std::optional<WrkReport> parse_wrk_report(std::string_view output) {
  const auto tag = output.rfind(kReportTag);
  if (tag == std::string_view::npos) return std::nullopt;
  std::string_view line = output.substr(tag + kReportTag.size());
  line = line.substr(0, line.find('\n'));
  WrkReport report;
  struct Field {
    std::string_view key;
    std::int64_t* integer;
    double* real;
  };
  const Field fields[] = {
      {.key = "requests", .integer = &report.requests, .real = nullptr},
      {.key = "duration_us", .integer = &report.duration_us, .real = nullptr},
      {.key = "connect", .integer = &report.connect_errors, .real = nullptr},
      {.key = "read", .integer = &report.read_errors, .real = nullptr},
      {.key = "write", .integer = &report.write_errors, .real = nullptr},
      {.key = "status", .integer = &report.status_errors, .real = nullptr},
      {.key = "timeout", .integer = &report.timeouts, .real = nullptr},
      {.key = "p50_us", .integer = nullptr, .real = &report.p50_us},
      {.key = "p90_us", .integer = nullptr, .real = &report.p90_us},
      {.key = "p99_us", .integer = nullptr, .real = &report.p99_us},
      {.key = "p999_us", .integer = nullptr, .real = &report.p999_us},
      {.key = "max_us", .integer = nullptr, .real = &report.max_us},
  };
  for (const Field& f : fields) {
    const auto value = field(line, f.key);
    if (!value) return std::nullopt;
    if (f.integer != nullptr) *f.integer = *value;
    if (f.real != nullptr) *f.real = static_cast<double>(*value);
  }
  return report;
}

WrkReport run_wrk(const std::string& wrk_path, std::uint16_t port, int connections,
                  std::chrono::seconds duration) {
  const TempDir dir("corio-bench-wrk-");
  const std::string script = dir.write_file("report.lua", std::string(kDoneScript));
  const std::vector<std::string> argv = {wrk_path,
                                         "-t1",
                                         "-c" + std::to_string(connections),
                                         "-d" + std::to_string(duration.count()) + "s",
                                         "--latency",
                                         "--timeout",
                                         "10s",
                                         "-s",
                                         script,
                                         "http://127.0.0.1:" + std::to_string(port) + "/plaintext"};
  const auto deadline = std::chrono::steady_clock::now() + duration + kOverrun;
  const auto [output, status] = collect(spawn(argv), deadline);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("wrk failed (" +
                             (WIFEXITED(status)
                                  ? "exit status " + std::to_string(WEXITSTATUS(status))
                                  : "signal " + std::to_string(WTERMSIG(status))) +
                             "): " + last_lines(output));
  }
  const auto report = parse_wrk_report(output);
  if (!report) throw std::runtime_error("wrk printed no report line: " + last_lines(output));
  return *report;
}

}  // namespace workloads::io::http_plaintext
