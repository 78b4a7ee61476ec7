#pragma once
// A model written in another language (Python, Go, Rust), run as a child process that speaks
// one JSON line each way, so that it is timed, checked and reported like a C++ model.
//
//   harness::ExternalCommand   how to start one model's program, and what it needs installed
//   harness::python_model      the command for workloads/<workload>/<model>.py
//   harness::built_model       the command for a program the build made (a Go or Rust model)
//   harness::go_model, tokio_model   the commands for workloads/<workload>/go.go and tokio.rs
//   harness::ExternalModel     one running child: start (waits for "ready"), call, finish
//   harness::ExternalFailure   a child that failed: one line saying what and how to fix it
//
// The protocol (workloads/common/python/model_protocol.py is the Python side):
//   child  -> {"ready": true}                    once, after its imports; or {"error": "..."}
//   parent -> {"params": {...}}                  one call: the workload's Params as JSON
//   child  -> {"result": {...}, "seconds": s}    the workload's Result as JSON, and the time
//                                                the work took, measured by the child around
//                                                the work alone (start-up, imports and the
//                                                JSON lines excluded)
//          or {"error": "..."}                   the work failed (an exception): the run fails
//   parent closes the child's stdin             the child exits 0
// Anything else on stdout, a child that exits, or a reply later than the timeout fails the run
// with the child's own last words (the end of its stderr: a traceback's last line).
//
// The figures about the child (its peak memory, context switches) are the child's own, read
// from /proc and wait4: see ExternalUsage.

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

#include <nlohmann/json.hpp>

namespace harness {

struct ExternalCommand {
  std::string model;              // "py_asyncio", for messages
  std::vector<std::string> argv;  // argv[0] is the program's full path
  // What to install when argv[0] is missing, said to the user: "python3 (Debian package
  // python3; scripts/install_deps.sh installs it)".
  std::string missing_hint;
};

// /usr/bin/python3 running workloads/<workload>/<model>.py of the source tree through
// workloads/common/python/run_model.py (which puts the protocol module on the path).
// `workload` is W::name ("runtime/spawn").
ExternalCommand python_model(std::string_view workload, std::string_view model);

// The program the build wrote for workloads/<workload>/<program>.<ext> (a Go or Rust model),
// at <build>/workloads/<workload>/<program>, run as `model`; `toolchain` names the Debian
// packages that build it, for the message when the build could not ("golang-go").
ExternalCommand built_model(std::string_view workload, std::string_view program,
                            std::string_view model, std::string_view toolchain);

// How many threads a Go or tokio model runs on: one (GOMAXPROCS=1, tokio's current_thread
// runtime: the rows beside corio, asio and libuv) or every core (GOMAXPROCS's default,
// tokio's multi_thread runtime: the rows beside corio_mt and asio_mt). The program gets
// --threads=1 or --threads=0; the row's model is go / go_mt, tokio / tokio_mt.
enum class Threads { one, all };

// workloads/<workload>/go.go, built by workloads/external_models.cmake.
ExternalCommand go_model(std::string_view workload, Threads threads);
// workloads/<workload>/tokio.rs, built by workloads/external_models.cmake.
ExternalCommand tokio_model(std::string_view workload, Threads threads);

class ExternalFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ExternalUsage {
  // The sum of VmHWM over the child and its descendants alive at the end (pool workers), with
  // the child's own peak reset when it reported ready: the peak of the work, interpreter
  // included, like a C++ model's peak_rss_bytes (which includes corio-bench itself).
  std::int64_t peak_rss_bytes = 0;
  // Over every thread of the child and the children it reaped, from ready to exit (wait4
  // minus the /proc figures at ready).
  std::int64_t voluntary_switches = 0;
  std::int64_t involuntary_switches = 0;
};

class ExternalModel {
 public:
  // Starts the child and waits (up to `ready_timeout`) for its ready line. Throws
  // ExternalFailure when the program is missing, the child says why it cannot run (a missing
  // package) or it exits or falls silent first.
  static ExternalModel start(const ExternalCommand& command,
                             std::chrono::seconds ready_timeout = std::chrono::seconds(30));

  ExternalModel(ExternalModel&& other) noexcept;
  ExternalModel& operator=(ExternalModel&&) = delete;
  ExternalModel(const ExternalModel&) = delete;
  ExternalModel& operator=(const ExternalModel&) = delete;
  ~ExternalModel();  // kills and reaps a child still running

  struct Reply {
    nlohmann::json result;
    double seconds = 0;
  };
  // One call: sends {"params": params}, waits up to `timeout` for the reply. Throws
  // ExternalFailure (the child's error, a malformed reply, the child gone, the timeout).
  Reply call(const nlohmann::json& params,
             std::chrono::seconds timeout = std::chrono::seconds(600));

  // Reads the peak memory, closes stdin, waits up to 5 s for the child to exit (then SIGKILL)
  // and reaps it. Throws ExternalFailure when it exited other than with status 0.
  ExternalUsage finish();

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }

 private:
  ExternalModel() = default;
  std::string read_line(std::chrono::seconds timeout, std::string_view waiting);
  [[noreturn]] void fail(const std::string& what);

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;  // a memfd, read back for messages
  std::string model_;
  std::string received_;  // bytes of stdout after the last complete line
  std::int64_t ready_voluntary_ = 0;
  std::int64_t ready_involuntary_ = 0;
};

}  // namespace harness
