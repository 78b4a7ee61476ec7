// processes: pre-forked workers (Apache's prefork MPM): `workers` processes each block in
// accept(2) on the inherited listening socket and serve one connection at a time, start to
// end, with blocking reads and writes. The kernel hands each new connection to one waiting
// worker (accept on a blocking socket wakes one waiter, no thundering herd). With fewer
// workers than connections, the rest wait in the listen backlog: so the workload passes
// workers = connections, as a prefork administrator sizes MaxRequestWorkers.
//
// Lifetime: workers die with the parent (PR_SET_PDEATHSIG), so no orphan survives a crash.
// The parent waits for SIGTERM (the harness's stop) or SIGCHLD: on SIGTERM it kills and reaps
// every worker, so their usage is counted in its own (wait4 adds reaped children), then
// returns; a worker that dies on its own is a crashed server: the parent kills the rest and
// fails with the worker's status.
// Fork safety: `corio-bench serve` has no other thread when this runs; a worker only calls
// accept, read, send and malloc.

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>
#include <vector>

#include "workloads/io/http_plaintext/blocking_io.hpp"
#include "workloads/io/http_plaintext/servers.hpp"

namespace workloads::io::http_plaintext {
namespace {

[[noreturn]] void run_worker(int listen_fd, pid_t parent) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(0);  // the parent died before prctl took effect
  for (;;) {
    const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        ::usleep(1000);
        continue;
      }
      ::_exit(3);
    }
    set_no_delay(fd);
    serve_blocking(fd);
    ::close(fd);
  }
}

void kill_and_reap(const std::vector<pid_t>& workers) {
  for (const pid_t pid : workers) ::kill(pid, SIGKILL);
  for (const pid_t pid : workers) {
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

std::string describe(int status) {
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "exited with status " + std::to_string(WEXITSTATUS(status));
}

}  // namespace

void serve_processes(harness::ServerContext& context) {
  const auto workers_wanted = context.int_param("workers", 64, 1, 4096);
  // Blocked before the first fork, so that a SIGCHLD or SIGTERM arriving early waits for
  // sigwaitinfo instead of being lost; the workers restore the old mask.
  sigset_t waited;
  sigemptyset(&waited);
  sigaddset(&waited, SIGTERM);
  sigaddset(&waited, SIGCHLD);
  sigset_t old_mask;
  ::sigprocmask(SIG_BLOCK, &waited, &old_mask);

  const pid_t parent = ::getpid();
  std::vector<pid_t> workers;
  workers.reserve(static_cast<std::size_t>(workers_wanted));
  for (std::int64_t i = 0; i < workers_wanted; ++i) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);
      run_worker(context.listen_fd, parent);
    }
    if (pid < 0) {
      const int error = errno;
      kill_and_reap(workers);
      throw std::system_error(
          error, std::generic_category(),
          "fork of worker " + std::to_string(i + 1) + " of " + std::to_string(workers_wanted));
    }
    workers.push_back(pid);
  }
  ::close(context.listen_fd);  // the workers hold it
  context.ready();

  for (;;) {
    siginfo_t info{};
    if (::sigwaitinfo(&waited, &info) < 0) continue;  // EINTR
    if (info.si_signo == SIGTERM) {
      kill_and_reap(workers);
      return;
    }
    int status = 0;
    const pid_t dead = ::waitpid(-1, &status, WNOHANG);
    if (dead > 0) {
      std::erase(workers, dead);
      kill_and_reap(workers);
      throw std::runtime_error("corio-bench: io/http_plaintext processes: worker " +
                               std::to_string(dead) + " " + describe(status));
    }
  }
}

}  // namespace workloads::io::http_plaintext
