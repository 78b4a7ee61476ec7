#pragma once
// Every registered server of the workloads (`corio-bench serve`'s table: harness::all_servers()
// after workloads::register_all), each with a request in its workload's protocol, and the
// client and process helpers the tests that hold every model's server to the same promises
// use (serve_signal_test.cpp, server_faults_test.cpp: the corio_server_tests binary).
//
//   Probe                    one request of a workload's protocol and the check of its answer
//   ModelServer              a registered server: workload, model, the --param values the tests
//                            give it, its probe, whether it serves one client at a time
//   model_servers()          every registered server, in registry order; a workload the table
//                            below has no probe for is a ModelServer with `probe_missing` set.
//                            CORIO_TEST_SERVERS=TEXT in the environment keeps only the servers
//                            whose name ("io/tcp_echo (corio)") contains TEXT (debugging)
//   for_each_in_parallel     runs a function over the servers on a few threads
//   Client                   a client socket with deadlines: connect, send, read an answer,
//                            close with a reset (SO_LINGER 0)
//   probe_once               a fresh connection, one request, its answer checked: "" or why not
//   outside_servers()        the workloads' servers that are not `corio-bench serve`'s: the
//                            Python, Go and tokio models' programs, started as the benchmark
//                            starts them (workloads/common/{python,built}_server.hpp)
//   RunningServer            a server under test, however started: port, pid, running
//   ServeChild               `corio-bench serve ... --listen 127.0.0.1:0` as a child process
//                            (PR_SET_PDEATHSIG), its port, its stderr, its exit status
//   start_server(server)     ServeChild for a registered server, the outside program for an
//                            outside one; start_server_process(server) the same as the
//                            benchmark's harness::ServerProcess
//   every_server()           model_servers() and, unless the build is sanitized,
//                            outside_servers(): what the fault tests take on
//   process_tree / tree_rss_bytes / is_gone   the server's process tree as /proc shows it
//   ended_unreaped           a child's end (how it ended), waited for without reaping it
//
// A workload added to the suite with a server must get a row in model_servers.cpp's probe
// table; until it has one, the tests fail for it with a message saying so.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <sys/wait.h>
#include <utility>
#include <vector>

#include "harness/net/server_process.hpp"

namespace bench::test {

using namespace std::chrono_literals;

enum class ProbeKind : std::uint8_t { echo, http, fork_server };

struct Probe {
  ProbeKind kind = ProbeKind::echo;
  std::string request;        // one request's bytes
  std::string cheap_request;  // a request that costs the server little (storms, pipelining)
  std::string expected_body;  // http: the body a 200 answer carries
  // The length of the one complete answer to `request` (or cheap_request) at the start of
  // `data`: 0 while incomplete; sets `error` when what came is not a right answer.
  std::size_t answer_length(std::string_view data, bool cheap, std::string& error) const;
};

struct ModelServer {
  std::string workload;  // "io/tcp_echo"
  std::string model;
  std::vector<std::pair<std::string, std::string>> params;
  Probe probe;
  bool one_client_at_a_time = false;  // io/sleep_fanout's fork server: by design
  bool probe_missing = false;         // no row in the probe table for this workload
  bool outside = false;               // a Python, Go or tokio program, not corio-bench serve
  [[nodiscard]] std::string name() const { return workload + " (" + model + ")"; }
};

// Registers the workloads' servers in this process once, then lists them.
const std::vector<ModelServer>& model_servers();
// The outside servers (io/tcp_echo, io/http_plaintext and mixed/blocking_in_loop's py_*, go
// and tokio models), with the probes of their workloads; CORIO_TEST_SERVERS filters them too.
const std::vector<ModelServer>& outside_servers();

// Calls fn(server) for every server, on `threads` threads (each server on one thread, which
// starts and stops whatever child it makes: PR_SET_PDEATHSIG follows the forking thread).
void for_each_in_parallel(const std::vector<ModelServer>& servers, int threads,
                          const std::function<void(const ModelServer&)>& fn);

class Client {
 public:
  Client() = default;
  Client(Client&& other) noexcept;
  Client& operator=(Client&& other) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client();

  // A non-blocking socket connected to 127.0.0.1:port within `timeout`; !ok() on failure
  // (error() says why).
  static Client connect(std::uint16_t port, std::chrono::milliseconds timeout = 2000ms);

  [[nodiscard]] bool ok() const noexcept { return fd_ >= 0; }
  [[nodiscard]] int fd() const noexcept { return fd_; }
  [[nodiscard]] const std::string& error() const noexcept { return error_; }

  // Sends every byte within `timeout`; false (error() set) otherwise.
  bool send_all(std::string_view bytes, std::chrono::milliseconds timeout = 2000ms);
  // Sends what fits without waiting; the number of bytes taken (0 when the socket is full).
  std::size_t send_some(std::string_view bytes);
  // Sends `probe`'s request, reads its one answer within `timeout`: "" or what went wrong.
  std::string exchange(const Probe& probe, std::chrono::milliseconds timeout = 2000ms,
                       bool cheap = false);
  // Waits up to `timeout` for at least one byte; true when one came (it is kept unread).
  bool wait_readable(std::chrono::milliseconds timeout);
  // Waits up to `timeout` for the server to close the connection (end of stream or a reset),
  // discarding whatever else arrives; true when it did.
  bool wait_closed(std::chrono::milliseconds timeout);
  // SO_LINGER 0, then close: the kernel sends a reset and drops what is unsent or unread.
  void reset() noexcept;
  void close() noexcept;

 private:
  int fd_ = -1;
  std::string error_;
  std::string received_;  // bytes after the last answer
};

// A fresh connection, `probe`'s request, its answer within `timeout`: "" or what went wrong.
std::string probe_once(std::uint16_t port, const Probe& probe,
                       std::chrono::milliseconds timeout = 2000ms);
// probe_once until it succeeds or `within` passes: "" or the last failure.
std::string probe_until(std::uint16_t port, const Probe& probe, std::chrono::milliseconds within);

// A server under test, however it was started.
class RunningServer {
 public:
  RunningServer() = default;
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;
  virtual ~RunningServer() = default;
  // "" once the server listens, else why not.
  [[nodiscard]] virtual const std::string& start_error() const noexcept = 0;
  [[nodiscard]] virtual pid_t pid() const noexcept = 0;
  [[nodiscard]] virtual std::uint16_t port() const noexcept = 0;
  // Still running (not exited, not reaped).
  [[nodiscard]] virtual bool running() = 0;
  // What the server wrote on stderr so far, where the test can read it.
  [[nodiscard]] virtual std::string stderr_text() const = 0;
};

// `exe serve WORKLOAD --model MODEL --listen 127.0.0.1:0 [--param k=v ...]` as a child: stdin
// /dev/null, stdout a pipe read for the serving line, stderr a memory file, default signal
// dispositions, PR_SET_PDEATHSIG(SIGKILL). The destructor kills and reaps a child still running.
class ServeChild final : public RunningServer {
 public:
  // With `sigint_ignored`, the child starts with SIGINT ignored, as a shell script's `cmd &`
  // starts it.
  ServeChild(const std::string& exe, const ModelServer& server, bool sigint_ignored = false);
  ServeChild(const ServeChild&) = delete;
  ServeChild& operator=(const ServeChild&) = delete;
  ~ServeChild() override;

  // "" once the serving line came (port() set), else why not (within 10 s).
  [[nodiscard]] const std::string& start_error() const noexcept override { return start_error_; }
  [[nodiscard]] pid_t pid() const noexcept override { return pid_; }
  [[nodiscard]] std::uint16_t port() const noexcept override { return port_; }
  // Still running (not exited, not reaped).
  [[nodiscard]] bool running() override;
  // Waits up to `timeout` for the child to end and reaps it: its wait status, or -1 when it
  // still ran (it is left running).
  int wait_for_exit(std::chrono::milliseconds timeout);
  // What the child wrote on stderr so far (the start of it).
  [[nodiscard]] std::string stderr_text() const override;

 private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::string start_error_;
};

// A ServeChild of CORIO_BENCH_EXE for a registered server; for an outside one, its program
// started as its workload's benchmark starts it (start_error() says why it could not start).
std::unique_ptr<RunningServer> start_server(const ModelServer& server);
// The server as a benchmark runs it: harness::ServerProcess::start_serve for a registered one,
// the outside program otherwise (with a few workers where it forks); throws when it cannot
// start.
harness::ServerProcess start_server_process(const ModelServer& server);
// model_servers(), then outside_servers() unless this build is sanitized (the outside
// programs are not: the release build tests them).
std::vector<ModelServer> every_server();

// "exit status N" / "killed by signal N (NAME)".
std::string describe_status(int status);

// `root` and every process descending from it, by the parent pid in /proc/*/stat.
std::vector<pid_t> process_tree(pid_t root);
// The sum of VmRSS over process_tree(root).
std::int64_t tree_rss_bytes(pid_t root);
// The process has ended (no /proc entry, or a zombie nobody reaped yet).
bool is_gone(pid_t pid);
// Waits up to `within` for this process's child `pid` to end, without reaping it (whoever
// owns it reaps it: ServerProcess::stop): how it ended, or nullopt while it still runs. A
// killed process's leader shows as a zombie before all its threads have ended; this waits for
// the end wait() would report.
std::optional<siginfo_t> ended_unreaped(pid_t pid, std::chrono::milliseconds within);
// How many descriptors numbered below `below` the process has open (/proc/PID/fd); -1 when
// unreadable. With below = its RLIMIT_NOFILE, equal to it when the next open fails (EMFILE).
int open_descriptors(pid_t pid, int below = std::numeric_limits<int>::max());

}  // namespace bench::test
