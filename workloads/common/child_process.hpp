#pragma once
// Child processes that a model or a server forks, and what became of them: the one place
// for fork-with-PR_SET_PDEATHSIG, waiting that survives EINTR, and wait statuses in words.
//
//   fork_child          fork(); the child dies with this process (PR_SET_PDEATHSIG(SIGKILL))
//                       and _exits at once if this process was already gone
//   ExitMeaning         what a model's own exit code says ({20, "found its parent gone"})
//   describe_wait_status  a wait status in words: "exited with status 3", "was killed by
//                       signal 9 (SIGKILL)", or an ExitMeaning's text
//   ChildEnd            how one child ended: its wait status and usage, or why waiting failed
//   wait_for_child      waits for one child (wait4, retried on EINTR), returns its ChildEnd
//   reap_children       waits for each of a list of children, ignoring how they ended
//   kill_and_reap       sends each a signal, then reaps them all
//   supervise_workers   a prefork parent: forks N workers, then waits for SIGTERM/SIGINT (stops
//                       and reaps them, returns) or a worker's death (stops the rest, throws)
//
// Fork safety: a process with other threads (every benchmark process, once a threaded model
// ran) may only make system calls in a forked child until it execs or _exits: no lock, no
// malloc. fork_child's child side is prctl, getppid and _exit only; what the caller runs in
// the child is its own concern.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <sys/types.h>
#include <vector>

namespace workloads::common {

// Forks. In the child (return value 0) PR_SET_PDEATHSIG(SIGKILL) is set first, so the child
// never outlives this process; if this process died before that took effect (the child was
// reparented), the child calls _exit(orphan_exit_status) instead of returning. In this
// process: the child's pid, or -1 with errno set by fork. Cost: fork, plus getpid here and
// prctl and getppid in the child.
pid_t fork_child(int orphan_exit_status);

// What a model's child means by an exit code of its own, for describe_wait_status.
struct ExitMeaning {
  int exit_status;
  std::string_view text;  // a predicate: "found its parent gone"
};

// A wait status in words, as the predicate of a sentence about the child: "exited with status
// 3", "was killed by signal 9 (SIGKILL)", "ended with wait status N" (stopped, traced), or
// the text of the `meanings` entry for its exit status.
std::string describe_wait_status(int status, std::initializer_list<ExitMeaning> meanings = {});

// How one child ended (wait_for_child).
struct ChildEnd {
  int status = 0;      // the wait status, when wait_error is 0
  rusage usage{};      // the child's usage and that of the descendants it reaped
  int wait_error = 0;  // errno of wait4 when waiting failed (ECHILD: not our child)

  // It was waited for and exited with status 0.
  [[nodiscard]] bool succeeded() const noexcept;
  // describe_wait_status, or "could not be waited for (wait4: <strerror>)".
  [[nodiscard]] std::string describe(std::initializer_list<ExitMeaning> meanings = {}) const;
};

// Waits for child `pid` to end (wait4 with no options, retried on EINTR) and reaps it.
ChildEnd wait_for_child(pid_t pid) noexcept;

// Waits for and reaps every child in `pids`, however it ended: none is left a zombie.
void reap_children(const std::vector<pid_t>& pids) noexcept;

// kill(pid, signal) for every child in `pids`, then reap_children.
void kill_and_reap(const std::vector<pid_t>& pids, int signal) noexcept;

// The parent of a pre-forked server (Apache's prefork MPM), for `corio-bench serve` (one
// thread, so workers may run anything). Blocks SIGTERM, SIGINT and SIGCHLD (so none arriving
// early is lost), forks `count` workers with fork_child (orphan exit status 0), each of which
// restores the old signal mask and runs `worker` (then _exits 0 if it returns); then calls
// `all_forked` (close what the parent no longer needs, report ready) and waits:
//  - SIGTERM or SIGINT (the harness's stop): sends `stop_signal` to every worker, reaps them
//    all (so their usage joins this process's, which the harness reads with wait4) and
//    returns, the three signals still blocked (the server is about to exit);
//  - a worker ended on its own: the server is broken. Stops and reaps the others, then throws
//    std::runtime_error("<who>: worker <pid> <how it ended>").
// A failed fork stops and reaps the workers made so far and throws std::system_error
// ("<who>: fork of worker i of N").
void supervise_workers(std::int64_t count, const std::function<void()>& worker,
                       const std::function<void()>& all_forked, int stop_signal,
                       std::string_view who);

}  // namespace workloads::common
