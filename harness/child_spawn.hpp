#pragma once
// Starting a program as a child of the benchmark process, and reading what it says about
// itself: shared by the server processes (net/server_process.hpp) and the models in other
// languages (external_model.hpp).
//
//   spawn_child(path, argv, fds)  fork + exec with the child's stdin/stdout/stderr set, no
//                                 other descriptor, default signals, PR_SET_PDEATHSIG(SIGKILL)
//   find_program(name)            a program's full path, searched in PATH; "" when not found
//   describe_status(status)       a wait status in words ("exit status 2", "killed by signal
//                                 11 (SIGSEGV)")
//   output_excerpt(fd)            the start of what a child wrote to a memory file, one line
//   kill_and_reap(pid)            SIGKILL, then wait; returns the wait status
//   reap_if_exited(pid, ...)      wait4(WNOHANG), retried on EINTR
//   proc_status_kib(pid, field)   a "<field>: N kB" (or plain count) line of /proc/PID/status
//
// The child is made with fork + exec. This process may have threads by then (models that ran
// before), so between the two the child makes only async-signal-safe calls: everything it
// needs (argv, the program's path, descriptors) is prepared before fork.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <sys/types.h>
#include <vector>

namespace harness {

// The descriptors the child gets as 0, 1 and 2 (this process keeps its own copies).
struct ChildDescriptors {
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
};

// Forks and execs `path` with `argv` (argv[0] included). In the child: PR_SET_PDEATHSIG(SIGKILL)
// (it dies with the thread that forked it; Linux sends that signal when the *thread* exits, so
// start children from a thread that outlives them), an empty signal mask, default SIGTERM,
// SIGINT, SIGPIPE and SIGCHLD, `fds` as 0/1/2 and no other descriptor. An exec failure makes
// the child write one line on its stderr and exit 127. Returns the child's pid; throws
// std::system_error when fork fails.
pid_t spawn_child(const std::string& path, const std::vector<std::string>& argv,
                  ChildDescriptors fds);

// The full path of `program`, searched in PATH when it holds no '/'; "" when not found.
std::string find_program(const std::string& program);

// What a wait status says, in words: "exit status 2", "killed by signal 11 (SIGSEGV)".
std::string describe_status(int status);

// The first `limit` bytes the child wrote to `fd` (a memfd), trailing blanks removed and
// newlines shown as " | "; "" when it wrote nothing.
std::string output_excerpt(int fd, std::size_t limit = 600);

// The last `limit` bytes of the same, from the start of a line: a traceback's final line.
std::string output_tail(int fd, std::size_t limit = 600);

// Kills (SIGKILL) and reaps `pid`; returns its wait status.
int kill_and_reap(pid_t pid);

// Reaps `pid` if it has exited (true, with its wait status and usage); false while it runs.
bool reap_if_exited(pid_t pid, int& status, rusage* usage = nullptr);

// Reads up to `size` bytes of a /proc file into `buffer`; "" when it cannot be read.
std::string_view read_proc_file(const char* path, char* buffer, std::size_t size);

// The number on /proc/PID/status's line "<field>:" ("VmHWM" in kB, "voluntary_ctxt_switches"
// a count); -1 when unreadable (gone, a zombie) or absent.
std::int64_t proc_status_number(pid_t pid, std::string_view field);

}  // namespace harness
