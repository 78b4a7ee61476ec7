// processes: pre-forked workers accepting on the shared listening socket, Apache's prefork
// MPM: each worker is a process that blocks in accept, serves that one connection with
// blocking recv/send until the client closes, then accepts the next. One connection per
// worker at a time, so the pool must be as large as the number of clients: `--param
// workers=N` (the benchmark passes its connection count). The kernel hands each incoming
// connection to one of the workers blocked in accept (an exclusive wait queue: no thundering
// herd). Isolation is the point of the model: a crash takes one connection, not the server.
//
// The parent only supervises (common::supervise_workers): it blocks SIGTERM, SIGINT and
// SIGCHLD, forks, then waits for a signal. On SIGTERM (the harness stopping the server) it
// terminates and reaps every worker and returns, so that the workers' CPU, context switches
// and peak RSS count in the usage the harness reads with wait4. If a worker dies on its own, the
// parent stops the others and fails, so the harness reports a dead server. Workers set
// PR_SET_PDEATHSIG, so a parent killed outright (SIGKILL) takes them with it. After fork a worker
// only makes system calls (the server process has no other thread; its echo buffer is on its
// stack).

#include <csignal>
#include <cstdint>
#include <unistd.h>

#include "harness/fd_limit.hpp"
#include "workloads/common/child_process.hpp"
#include "workloads/common/os_threads.hpp"
#include "workloads/io/tcp_echo/blocking_socket.hpp"
#include "workloads/io/tcp_echo/servers.hpp"

namespace workloads::io::tcp_echo {
namespace {

[[noreturn]] void run_worker(int listen_fd) {
  try {
    for (;;) echo_until_closed(accept_blocking(listen_fd));
  } catch (...) {
    ::_exit(3);  // accept failed for good: the parent sees a dead worker
  }
}

}  // namespace

void serve_processes(harness::ServerContext& context) {
  const auto cores = common::hardware_threads();
  const auto count = context.int_param("workers", cores, 1, 4096);
  harness::raise_descriptor_limit();
  // SIGTERM stops a worker: its mask is restored after fork, and the handler it inherits from
  // `serve` (bench/serve.hpp) _exits 0 at once.
  common::supervise_workers(
      count, [&context] { run_worker(context.listen_fd); }, [&context] { context.ready(); },
      SIGTERM, "tcp_echo processes");
}

}  // namespace workloads::io::tcp_echo
