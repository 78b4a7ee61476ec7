// Child processes: see child_process.hpp.

#include "workloads/common/child_process.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

namespace workloads::common {

pid_t fork_child(int orphan_exit_status) {
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Dies with the parent; if the parent is already gone, getppid() no longer names it.
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) {
      ::_exit(orphan_exit_status);
    }
  }
  return pid;
}

std::string describe_wait_status(int status, std::initializer_list<ExitMeaning> meanings) {
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    const char* name = ::sigabbrev_np(signal);
    return "was killed by signal " + std::to_string(signal) +
           (name != nullptr ? std::string(" (SIG") + name + ")" : std::string());
  }
  if (WIFEXITED(status)) {
    for (const ExitMeaning& meaning : meanings) {
      if (meaning.exit_status == WEXITSTATUS(status)) return std::string(meaning.text);
    }
    return "exited with status " + std::to_string(WEXITSTATUS(status));
  }
  return "ended with wait status " + std::to_string(status);
}

bool ChildEnd::succeeded() const noexcept {
  return wait_error == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string ChildEnd::describe(std::initializer_list<ExitMeaning> meanings) const {
  if (wait_error != 0) {
    return std::string("could not be waited for (wait4: ") + std::strerror(wait_error) + ")";
  }
  return describe_wait_status(status, meanings);
}

ChildEnd wait_for_child(pid_t pid) noexcept {
  ChildEnd end;
  while (::wait4(pid, &end.status, 0, &end.usage) < 0) {
    if (errno != EINTR) {
      end.wait_error = errno;
      break;
    }
  }
  return end;
}

void reap_children(const std::vector<pid_t>& pids) noexcept {
  for (const pid_t pid : pids) {
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

void kill_and_reap(const std::vector<pid_t>& pids, int signal) noexcept {
  for (const pid_t pid : pids) ::kill(pid, signal);
  reap_children(pids);
}

void supervise_workers(std::int64_t count, const std::function<void()>& worker,
                       const std::function<void()>& all_forked, int stop_signal,
                       std::string_view who) {
  sigset_t waited;
  ::sigemptyset(&waited);
  ::sigaddset(&waited, SIGTERM);
  ::sigaddset(&waited, SIGINT);
  ::sigaddset(&waited, SIGCHLD);
  sigset_t old_mask;
  ::pthread_sigmask(SIG_BLOCK, &waited, &old_mask);

  std::vector<pid_t> workers;
  workers.reserve(static_cast<std::size_t>(std::max<std::int64_t>(count, 0)));
  for (std::int64_t i = 0; i < count; ++i) {
    const pid_t pid = fork_child(0);
    if (pid == 0) {
      ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);  // SIGTERM ends a worker again
      worker();
      ::_exit(0);
    }
    if (pid < 0) {
      const int error = errno;
      kill_and_reap(workers, stop_signal);
      throw std::system_error(error, std::generic_category(),
                              std::string(who) + ": fork of worker " + std::to_string(i + 1) +
                                  " of " + std::to_string(count));
    }
    workers.push_back(pid);
  }
  all_forked();

  for (;;) {
    siginfo_t info{};
    const int signal = ::sigwaitinfo(&waited, &info);
    if (signal < 0) continue;  // EINTR
    if (signal != SIGCHLD) break;
    // A worker ended although nobody asked it to: the server is broken.
    int status = 0;
    const pid_t dead = ::waitpid(-1, &status, WNOHANG);
    if (dead <= 0) continue;
    std::erase(workers, dead);
    kill_and_reap(workers, stop_signal);
    throw std::runtime_error(std::string(who) + ": worker " + std::to_string(dead) + " " +
                             describe_wait_status(status));
  }
  // SIGTERM or SIGINT. The signals stay blocked: a second stop signal arriving meanwhile must
  // not kill the server before it returns (and exits 0).
  kill_and_reap(workers, stop_signal);
}

}  // namespace workloads::common
