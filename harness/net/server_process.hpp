#pragma once
// harness::ServerProcess: a model's server, run as a child process (`corio-bench serve ...`,
// or any command such as nginx) so that the server under test and the load generator never
// share a process, and always stopped.
//
//   ServerProcess::start_serve(workload, model, params)
//       runs this binary (/proc/self/exe) as `serve WORKLOAD --model MODEL --listen
//       127.0.0.1:0 [--param key=value ...]`, reads its "serving ... on HOST:PORT" line from
//       the child's stdout (10 s timeout), and returns with port() set
//   ServerProcess::start_command(argv, port)
//       runs any command that will listen on 127.0.0.1:port (nginx), and waits until a TCP
//       connect to that port succeeds (10 s timeout)
//   stop()  SIGTERM; after 5 s SIGKILL; reaps the child with wait4 and returns its resource
//           usage (peak RSS, context switches). Throws std::runtime_error("server died: ...")
//           when the child had exited before stop() was called (a crashed server). A server
//           that needed SIGKILL, ended otherwise than by SIGTERM or exit 0, or wrote anything
//           on stderr gets one "corio-bench: note: ..." line on stderr with what it wrote.
//   ~ServerProcess  stop() if still running, never throws.
//
// No orphans: the child is started with PR_SET_PDEATHSIG(SIGKILL), so it dies with this
// process even when this process is killed; its own workers must do the same. (Linux sends
// that signal when the *thread* that forked exits: start servers from a thread that outlives
// them, e.g. the benchmark's main thread.) A child that fails to start (bad parameter: exit
// 2; port in use) makes start_* throw std::runtime_error with the child's stderr, e.g.
//   "server io/tcp_echo (corio) failed to start (exit status 2): corio-bench: serve: ..."
//
// The child starts with an empty signal mask and default SIGTERM/SIGINT/SIGPIPE/SIGCHLD
// dispositions (whatever this process blocks), stdin from /dev/null, and no descriptor but
// 0, 1 and 2. Its stderr goes to a memory file (it never blocks; read back for messages);
// start_command's commands must stay in the foreground (nginx: -g 'daemon off;'), since a
// command that exits is a server that died.

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace harness {

struct ServerUsage {
  std::int64_t max_rss_bytes = 0;  // the server's peak RSS (its reaped children included)
  std::int64_t voluntary_switches = 0;
  std::int64_t involuntary_switches = 0;
};

class ServerProcess {
 public:
  static ServerProcess start_serve(const std::string& workload, const std::string& model,
                                   const std::vector<std::pair<std::string, std::string>>& params);
  static ServerProcess start_command(const std::vector<std::string>& argv, std::uint16_t port);

  ServerProcess(ServerProcess&& other) noexcept;
  ServerProcess& operator=(ServerProcess&& other) noexcept;
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess();

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  // Throws when the server already died (see above).
  ServerUsage stop();

 private:
  ServerProcess(pid_t pid, std::uint16_t port) noexcept : pid_(pid), port_(port) {}
  void release() noexcept;  // stop() without throwing, then close the descriptors
  void report_unusual_stop(bool stopped_by_sigterm_in_time, int status) const;

  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  int stdout_fd_ = -1;  // start_serve: the child's stdout (a pipe), kept open unread
  int output_fd_ = -1;  // the child's stderr (a memfd), read back for error messages
  std::string name_;    // "server io/tcp_echo (corio)", for messages
};

}  // namespace harness
