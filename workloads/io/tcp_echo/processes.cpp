// processes: pre-forked workers accepting on the shared listening socket, Apache's prefork
// MPM: each worker is a process that blocks in accept, serves that one connection with
// blocking recv/send until the client closes, then accepts the next. One connection per
// worker at a time, so the pool must be as large as the number of clients: `--param
// workers=N` (the benchmark passes its connection count). The kernel hands each incoming
// connection to one of the workers blocked in accept (an exclusive wait queue: no thundering
// herd). Isolation is the point of the model: a crash takes one connection, not the server.
//
// The parent only supervises: it blocks SIGTERM, SIGINT and SIGCHLD, forks, then waits for a
// signal. On SIGTERM (the harness stopping the server) it terminates and reaps every worker
// and returns, so that the workers' CPU, context switches and peak RSS count in the usage the
// harness reads with wait4. If a worker dies on its own, the parent stops the others and
// fails, so the harness reports a dead server. Workers set PR_SET_PDEATHSIG, so a parent
// killed outright (SIGKILL) takes them with it. After fork a worker only makes system calls
// (the server process has no other thread; its echo buffer is on its stack).

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <vector>

#include "workloads/io/tcp_echo/blocking_socket.hpp"
#include "workloads/io/tcp_echo/servers.hpp"

namespace workloads::io::tcp_echo {
namespace {

[[noreturn]] void run_worker(int listen_fd, pid_t parent, const sigset_t& parent_mask) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(0);  // the parent died before prctl took effect
  ::pthread_sigmask(SIG_SETMASK, &parent_mask, nullptr);  // SIGTERM ends a worker again
  try {
    for (;;) echo_until_closed(accept_blocking(listen_fd));
  } catch (...) {
    ::_exit(3);  // accept failed for good: the parent sees a dead worker
  }
}

// SIGTERM to every worker, then waits for each: their usage joins the parent's.
void stop_workers(const std::vector<pid_t>& workers) {
  for (const pid_t pid : workers) ::kill(pid, SIGTERM);
  for (const pid_t pid : workers) {
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

std::string describe_exit(pid_t pid, int status) {
  const std::string who = "tcp_echo processes: worker " + std::to_string(pid);
  if (WIFSIGNALED(status)) return who + " was killed by signal " + std::to_string(WTERMSIG(status));
  return who + " exited with status " + std::to_string(WEXITSTATUS(status));
}

}  // namespace

void serve_processes(harness::ServerContext& context) {
  const auto cores = static_cast<std::int64_t>(std::max(1U, std::thread::hardware_concurrency()));
  const auto count = context.int_param("workers", cores, 1, 4096);
  raise_fd_limit(0);

  sigset_t signals;
  ::sigemptyset(&signals);
  ::sigaddset(&signals, SIGTERM);
  ::sigaddset(&signals, SIGINT);
  ::sigaddset(&signals, SIGCHLD);
  sigset_t parent_mask;
  ::pthread_sigmask(SIG_BLOCK, &signals, &parent_mask);

  const pid_t parent = ::getpid();
  std::vector<pid_t> workers;
  workers.reserve(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) {
    const pid_t pid = ::fork();
    if (pid == 0) run_worker(context.listen_fd, parent, parent_mask);
    if (pid < 0) {
      const int saved = errno;
      stop_workers(workers);
      throw std::system_error(saved, std::generic_category(),
                              "tcp_echo processes: fork of worker " + std::to_string(i + 1) +
                                  " of " + std::to_string(count));
    }
    workers.push_back(pid);
  }
  context.ready();

  for (;;) {
    siginfo_t info{};
    const int signal = ::sigwaitinfo(&signals, &info);
    if (signal < 0) continue;  // EINTR
    if (signal != SIGCHLD) break;
    // A worker ended although nobody asked it to: the server is broken.
    int status = 0;
    const pid_t dead = ::waitpid(-1, &status, WNOHANG);
    if (dead <= 0) continue;
    std::erase(workers, dead);
    stop_workers(workers);
    throw std::runtime_error(describe_exit(dead, status));
  }
  stop_workers(workers);  // SIGTERM or SIGINT: return, and the process exits 0
}

}  // namespace workloads::io::tcp_echo
