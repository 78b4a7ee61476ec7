// harness::ExternalModel: see external_model.hpp.
#include "harness/external_model.hpp"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <functional>
#include <poll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <utility>

#include "harness/child_spawn.hpp"
#include "harness/net/server_process.hpp"

#ifndef CORIO_SOURCE_DIR
#error "CORIO_SOURCE_DIR must name the source tree (harness/CMakeLists.txt sets it)"
#endif
#ifndef CORIO_BINARY_DIR
#error "CORIO_BINARY_DIR must name the build tree (harness/CMakeLists.txt sets it)"
#endif

namespace harness {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr std::string_view kPython = "/usr/bin/python3";
constexpr auto kExitGrace = 5s;
constexpr std::size_t kShownReplyBytes = 200;

void close_fd(int& fd) noexcept {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// The start of a line the child printed, for a message.
std::string shown(std::string_view line) {
  std::string text(line.substr(0, kShownReplyBytes));
  if (line.size() > kShownReplyBytes) text += "...";
  return "'" + text + "'";
}

// voluntary and involuntary context switches over every live thread of `pid`.
std::pair<std::int64_t, std::int64_t> thread_switches(pid_t pid) {
  std::pair<std::int64_t, std::int64_t> sum{0, 0};
  const std::string dir = "/proc/" + std::to_string(pid) + "/task";
  DIR* tasks = ::opendir(dir.c_str());
  if (tasks == nullptr) return sum;
  while (const dirent* entry = ::readdir(tasks)) {
    const std::string_view name = entry->d_name;
    if (name.empty() || name.find_first_not_of("0123456789") != std::string_view::npos) continue;
    const auto tid = static_cast<pid_t>(std::stol(std::string(name)));
    sum.first += std::max<std::int64_t>(0, proc_status_number(tid, "voluntary_ctxt_switches"));
    sum.second += std::max<std::int64_t>(0, proc_status_number(tid, "nonvoluntary_ctxt_switches"));
  }
  ::closedir(tasks);
  return sum;
}

// Starts a new VmHWM for `pid` (as reset_peak_rss does for this process).
void reset_peak_of(pid_t pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/clear_refs";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  [[maybe_unused]] const ssize_t written = ::write(fd, "5", 1);
  ::close(fd);
}

}  // namespace

ExternalCommand python_model(std::string_view workload, std::string_view model) {
  const std::string source = CORIO_SOURCE_DIR;
  return {
      .model = std::string(model),
      .argv = {std::string(kPython), "-s", source + "/workloads/common/python/run_model.py",
               source + "/workloads/" + std::string(workload) + "/" + std::string(model) + ".py"},
      .missing_hint = "Debian's python3 (apt-get install python3, or scripts/install_deps.sh)"};
}

ExternalCommand built_model(std::string_view workload, std::string_view program,
                            std::string_view model, std::string_view toolchain) {
  return {.model = std::string(model),
          .argv = {std::string(CORIO_BINARY_DIR) + "/workloads/" + std::string(workload) + "/" +
                   std::string(program)},
          .missing_hint = "the build to have made it: install " + std::string(toolchain) +
                          " (scripts/install_deps.sh) and build again"};
}

namespace {

ExternalCommand threaded_model(std::string_view workload, std::string_view program, Threads threads,
                               std::string_view toolchain) {
  const bool one = threads == Threads::one;
  ExternalCommand command = built_model(
      workload, program, one ? std::string(program) : std::string(program) + "_mt", toolchain);
  command.argv.emplace_back(one ? "--threads=1" : "--threads=0");
  return command;
}

}  // namespace

ExternalCommand go_model(std::string_view workload, Threads threads) {
  return threaded_model(workload, "go", threads, "golang-go");
}

ExternalCommand tokio_model(std::string_view workload, Threads threads) {
  return threaded_model(workload, "tokio", threads,
                        "cargo, rustc, librust-tokio-dev and librust-serde-json-dev");
}

ExternalModel ExternalModel::start(const ExternalCommand& command,
                                   std::chrono::seconds ready_timeout) {
  if (command.argv.empty()) throw std::invalid_argument("ExternalModel::start: empty argv");
  const std::string& program = command.argv.front();
  if (::access(program.c_str(), X_OK) != 0) {
    throw ExternalFailure(command.model + " cannot run: " + program + " is missing; it needs " +
                          command.missing_hint);
  }
  ExternalModel child;
  child.model_ = command.model;
  std::array<int, 2> to_child{-1, -1};
  std::array<int, 2> from_child{-1, -1};
  try {
    child.stderr_fd_ = ::memfd_create("corio-bench-model-stderr", MFD_CLOEXEC);
    if (child.stderr_fd_ < 0 || ::pipe2(to_child.data(), O_CLOEXEC) != 0 ||
        ::pipe2(from_child.data(), O_CLOEXEC) != 0) {
      throw std::system_error(errno, std::generic_category(), "pipe2/memfd_create");
    }
    child.pid_ = spawn_child(
        program, command.argv,
        {.stdin_fd = to_child[0], .stdout_fd = from_child[1], .stderr_fd = child.stderr_fd_});
  } catch (...) {
    for (int& fd : {std::ref(to_child[0]), std::ref(to_child[1]), std::ref(from_child[0]),
                    std::ref(from_child[1])}) {
      close_fd(fd);
    }
    throw;
  }
  close_fd(to_child[0]);
  close_fd(from_child[1]);
  child.stdin_fd_ = to_child[1];
  child.stdout_fd_ = from_child[0];

  const std::string line = child.read_line(ready_timeout, "ready line");
  nlohmann::json ready;
  try {
    ready = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception&) {
    child.fail("printed " + shown(line) + " instead of its ready line");
  }
  if (ready.is_object() && ready.contains("error") && ready["error"].is_string()) {
    child.fail("cannot run: " + ready["error"].get<std::string>());
  }
  if (!ready.is_object() || ready.value("ready", false) != true) {
    child.fail("printed " + shown(line) + " instead of its ready line");
  }
  // The figures from here on are the work's, not the interpreter's start-up.
  reset_peak_of(child.pid_);
  std::tie(child.ready_voluntary_, child.ready_involuntary_) = thread_switches(child.pid_);
  return child;
}

ExternalModel::ExternalModel(ExternalModel&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      stdin_fd_(std::exchange(other.stdin_fd_, -1)),
      stdout_fd_(std::exchange(other.stdout_fd_, -1)),
      stderr_fd_(std::exchange(other.stderr_fd_, -1)),
      model_(std::move(other.model_)),
      received_(std::move(other.received_)),
      ready_voluntary_(other.ready_voluntary_),
      ready_involuntary_(other.ready_involuntary_) {}

ExternalModel::~ExternalModel() {
  if (pid_ > 0) kill_and_reap(pid_);
  close_fd(stdin_fd_);
  close_fd(stdout_fd_);
  close_fd(stderr_fd_);
}

void ExternalModel::fail(const std::string& what) {
  std::string message = model_ + " " + what;
  if (pid_ > 0) {
    // A child that is exiting (after a traceback) gets a moment to finish, so that its
    // status and last words are whole.
    int status = 0;
    bool exited = false;
    for (int i = 0; i < 100 && !(exited = reap_if_exited(pid_, status)); ++i) {
      std::this_thread::sleep_for(1ms);
    }
    if (exited) {
      message += " (" + describe_status(status) + ")";
    } else {
      kill_and_reap(pid_);
    }
    pid_ = -1;
  }
  if (const std::string said = output_tail(stderr_fd_); !said.empty()) {
    message += "; its stderr ends: " + said;
  }
  throw ExternalFailure(message);
}

std::string ExternalModel::read_line(std::chrono::seconds timeout, std::string_view waiting) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (const auto newline = received_.find('\n'); newline != std::string::npos) {
      std::string line = received_.substr(0, newline);
      received_.erase(0, newline + 1);
      return line;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left <= 0ms) {
      fail("gave no " + std::string(waiting) + " within " + std::to_string(timeout.count()) + " s");
    }
    pollfd ready{.fd = stdout_fd_, .events = POLLIN, .revents = 0};
    const int polled =
        ::poll(&ready, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 1000)));
    if (polled < 0 && errno == EINTR) continue;
    if (polled <= 0) continue;
    std::array<char, 4096> chunk{};
    const ssize_t n = ::read(stdout_fd_, chunk.data(), chunk.size());
    if (n > 0) {
      received_.append(chunk.data(), static_cast<std::size_t>(n));
    } else if (n == 0) {
      fail("ended before its " + std::string(waiting));
    } else if (errno != EINTR) {
      fail("could not be read (" + std::string(std::strerror(errno)) + ")");
    }
  }
}

ExternalModel::Reply ExternalModel::call(const nlohmann::json& params,
                                         std::chrono::seconds timeout) {
  const std::string request = nlohmann::json{{"params", params}}.dump() + "\n";
  std::size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::write(stdin_fd_, request.data() + sent, request.size() - sent);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("stopped reading its requests");
    sent += static_cast<std::size_t>(n);
  }
  const std::string line = read_line(timeout, "reply");
  nlohmann::json reply;
  try {
    reply = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception&) {
    fail("printed " + shown(line) + " where its JSON reply belongs (a model prints nothing else)");
  }
  if (reply.is_object() && reply.contains("error") && reply["error"].is_string()) {
    throw ExternalFailure(model_ + ": " + reply["error"].get<std::string>());
  }
  if (!reply.is_object() || !reply.contains("result") || !reply.contains("seconds") ||
      !reply["seconds"].is_number() || reply["seconds"].get<double>() < 0) {
    fail("replied " + shown(line) +
         ", which is not {\"result\": ..., \"seconds\": <non-negative number>}");
  }
  return {.result = std::move(reply["result"]), .seconds = reply["seconds"].get<double>()};
}

ExternalUsage ExternalModel::finish() {
  ExternalUsage usage;
  if (pid_ < 0) return usage;
  usage.peak_rss_bytes = process_tree_peak_rss(pid_).peak_rss_bytes;
  close_fd(stdin_fd_);
  int status = 0;
  rusage counted{};
  const auto deadline = Clock::now() + kExitGrace;
  bool exited = false;
  for (auto pause = 100us;
       !(exited = reap_if_exited(pid_, status, &counted)) && Clock::now() < deadline;
       pause = std::min(pause * 2, std::chrono::microseconds(10ms))) {
    std::this_thread::sleep_for(pause);
  }
  if (!exited) {
    ::kill(pid_, SIGKILL);
    while (::wait4(pid_, &status, 0, &counted) < 0 && errno == EINTR) {
    }
  }
  pid_ = -1;
  if (!exited || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string message = model_ + (exited ? " ended with " + describe_status(status)
                                           : " did not exit within 5 s of its input's end");
    message += " after its last reply";
    if (const std::string said = output_tail(stderr_fd_); !said.empty()) {
      message += "; its stderr ends: " + said;
    }
    throw ExternalFailure(message);
  }
  usage.voluntary_switches = std::max<std::int64_t>(0, counted.ru_nvcsw - ready_voluntary_);
  usage.involuntary_switches = std::max<std::int64_t>(0, counted.ru_nivcsw - ready_involuntary_);
  return usage;
}

}  // namespace harness
