// The Python server models' start (see python_server.hpp).
#include "workloads/common/python_server.hpp"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <sys/wait.h>
#include <system_error>
#include <thread>
#include <unistd.h>

#include "harness/external_model.hpp"
#include "workloads/common/loopback_port.hpp"

namespace workloads::common {
namespace {

// A new empty directory for the ready file, removed with it on destruction.
class ReadyFile {
 public:
  ReadyFile() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/corio-bench-python-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    }
    dir_ = pattern;
    path_ = dir_ + "/ready";
  }
  ReadyFile(const ReadyFile&) = delete;
  ReadyFile& operator=(const ReadyFile&) = delete;
  ~ReadyFile() {
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] bool exists() const noexcept { return ::access(path_.c_str(), F_OK) == 0; }

 private:
  std::string dir_;
  std::string path_;
};

// True when `pid` has exited (left unreaped, for ServerProcess::stop to report).
bool has_exited(pid_t pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == pid;
}

// Waits for the script's ready file. A server that died meanwhile is reported by stop() (with
// what it wrote); one still forking after the timeout is a failure (the destructor kills it).
void wait_until_forked(harness::ServerProcess& server, const ReadyFile& ready,
                       std::string_view model) {
  using namespace std::chrono_literals;
  constexpr auto kForkTimeout = 120s;
  const auto deadline = std::chrono::steady_clock::now() + kForkTimeout;
  while (!ready.exists()) {
    if (has_exited(server.pid())) {
      server.stop();  // throws "server died: ..." with the script's last words
      throw std::runtime_error(std::string(model) + " ended while forking its workers");
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      throw std::runtime_error(std::string(model) + " did not fork its workers within " +
                               std::to_string(kForkTimeout.count()) + " s");
    }
    std::this_thread::sleep_for(5ms);
  }
}

}  // namespace

harness::ServerProcess start_python_server(std::string_view workload, std::string_view model,
                                           const std::vector<std::string>& args, bool forks) {
  // python_model's argv: python3, -s, run_model.py, the model's script.
  const harness::ExternalCommand command = harness::python_model(workload, model);
  if (command.argv.size() != 4) {
    throw std::logic_error("start_python_server: harness::python_model's argv changed shape");
  }
  if (::access(command.argv.front().c_str(), X_OK) != 0) {
    throw std::runtime_error(std::string(model) + " cannot run: " + command.argv.front() +
                             " is missing; it needs " + command.missing_hint);
  }
  const std::uint16_t port = free_loopback_port();
  std::vector<std::string> argv = command.argv;
  argv.insert(argv.end(), {"--port", std::to_string(port)});
  argv.insert(argv.end(), args.begin(), args.end());
  if (!forks) return harness::ServerProcess::start_command(argv, port);
  const ReadyFile ready;
  argv.insert(argv.end(), {"--ready-file", ready.path()});
  harness::ServerProcess server = harness::ServerProcess::start_command(argv, port);
  wait_until_forked(server, ready, model);
  return server;
}

}  // namespace workloads::common
