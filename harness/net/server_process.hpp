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
//   stop()  measures the server's peak memory (see "The server's memory" below), then
//           SIGTERM; after 5 s SIGKILL; reaps the child with wait4 and returns its usage (peak
//           memory, context switches). Throws std::runtime_error("server died: ...") when the
//           child had exited before stop() was called (a crashed server). A server that
//           needed SIGKILL, ended otherwise than by SIGTERM or exit 0, or wrote anything on
//           stderr gets one "corio-bench: note: ..." line on stderr with what it wrote.
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
//
// The server's memory (ServerUsage::max_rss_bytes): the sum, over the server process and
// every descendant of it alive when stop() is called, of each one's VmHWM (/proc/PID/status:
// the peak resident set of its own address space since its exec or fork), read just before
// SIGTERM. A server that forks workers (the `processes` models' prefork workers, nginx's
// master and worker) is its whole process tree. Each process's peak counts every page it
// maps, shared or not, so pages shared between processes (the program and its libraries,
// memory a prefork parent touched before fork and its workers inherited copy-on-write) count
// once per process: for a multi-process server the sum is an upper bound of what the tree
// held, and it adds peaks that need not have coincided. A worker that ended before stop() is
// not counted. 0 when /proc cannot be read.
//
// Not wait4's ru_maxrss: the kernel folds the high-water mark of the address space a child
// had before exec, i.e. a copy of this (benchmark) process's, into the child's ru_maxrss, so a
// server forked from a 200 MB benchmark process reports at least 200 MB whatever it uses
// itself. Context switches do come from wait4: they start at 0 in a forked child (nothing is
// inherited from this process), and wait4 adds those of the descendants the server reaped
// (the prefork models reap their workers when they get SIGTERM; nginx's master its worker).

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace harness {

struct ServerUsage {
  // The sum of VmHWM over the server's process tree before SIGTERM (see above): an upper
  // bound for a multi-process server, its own peak for a single process.
  std::int64_t max_rss_bytes = 0;
  std::int64_t processes = 0;  // how many processes that sum covers (the server and workers)
  // From wait4: the server's own, plus those of the descendants it reaped.
  std::int64_t voluntary_switches = 0;
  std::int64_t involuntary_switches = 0;
};

// The peak memory of a process tree, as ServerUsage::max_rss_bytes defines it: the sum of
// VmHWM over `root` and its descendants alive now (found through the parent pid in
// /proc/*/stat), and how many processes that is. {0, 0} when `root` is gone or /proc cannot
// be read; a descendant that ends during the scan is left out.
struct TreeMemory {
  std::int64_t peak_rss_bytes = 0;
  std::int64_t processes = 0;
};
TreeMemory process_tree_peak_rss(pid_t root);

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
