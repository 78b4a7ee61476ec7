// processes: pre-forked workers (Apache's prefork MPM): `workers` processes each block in
// accept(2) on the inherited listening socket and serve one connection at a time, start to
// end, with blocking reads and writes. The kernel hands each new connection to one waiting
// worker (accept on a blocking socket wakes one waiter, no thundering herd). With fewer
// workers than connections, the rest wait in the listen backlog: so the workload passes
// workers = connections, as a prefork administrator sizes MaxRequestWorkers.
//
// Lifetime (common::supervise_workers): workers die with the parent (PR_SET_PDEATHSIG), so no
// orphan survives a crash. The parent waits for SIGTERM (the harness's stop; or SIGINT) or
// SIGCHLD: on SIGTERM it kills (SIGKILL) and reaps every worker, so their usage is counted in
// its own (wait4 adds reaped children), then returns; a worker that dies on its own is a crashed
// server: the parent kills the rest and fails with the worker's status. Fork safety: `corio-bench
// serve` has no other thread when this runs; a worker only calls accept, read, send and malloc.

#include <cerrno>
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

#include "workloads/common/child_process.hpp"
#include "workloads/io/http_plaintext/blocking_io.hpp"
#include "workloads/io/http_plaintext/servers.hpp"

namespace workloads::io::http_plaintext {
namespace {

[[noreturn]] void run_worker(int listen_fd) {
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

}  // namespace

void serve_processes(harness::ServerContext& context) {
  const auto workers_wanted = context.int_param("workers", 64, 1, 4096);
  common::supervise_workers(
      workers_wanted, [&context] { run_worker(context.listen_fd); },
      [&context] {
        ::close(context.listen_fd);  // the workers hold it
        context.ready();
      },
      SIGKILL, "io/http_plaintext processes");
}

}  // namespace workloads::io::http_plaintext
