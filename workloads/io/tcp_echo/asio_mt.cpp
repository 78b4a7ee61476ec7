// asio_mt: one io_context run by N threads (default: hardware_concurrency; `--param
// threads=N`), Asio's "thread pool" layout: every thread calls io_context::run(), and a
// completion runs on whichever thread the reactor hands it to. Each session is still one
// coroutine (co_spawn'd, detached) that co_awaits async_read_some then async_write: a
// coroutine is an implicit strand (one step at a time), so no explicit strand is needed. The
// io_context is told how many threads run it (the concurrency hint), keeping its locking.
// Operations are co_awaited as `deferred` and their errors come back as values (as_tuple);
// TCP_NODELAY is set on every accepted socket.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <sys/socket.h>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "harness/fd_limit.hpp"
#include "workloads/common/asio.hpp"
#include "workloads/io/tcp_echo/asio_session.hpp"
#include "workloads/io/tcp_echo/blocking_socket.hpp"
#include "workloads/io/tcp_echo/servers.hpp"

namespace asio = boost::asio;

namespace workloads::io::tcp_echo {
namespace {

// Runs the io_context on one of the pool's threads. A failure (the accept loop's) ends the
// process with its message: the other threads would otherwise serve on without a listener.
void run_io(asio::io_context* io) {
  try {
    io->run();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "corio-bench: tcp_echo asio_mt: %s\n", error.what());
    std::_Exit(3);
  }
}

}  // namespace

void serve_asio_mt(harness::ServerContext& context) {
  const auto cores = static_cast<std::int64_t>(std::max(1U, std::thread::hardware_concurrency()));
  const auto threads = static_cast<int>(context.int_param("threads", cores, 1, 1024));
  harness::raise_descriptor_limit();
  asio::io_context io{threads};
  asio_echo::Acceptor acceptor(io.get_executor(), asio_echo::protocol_of(context.listen_fd),
                               context.listen_fd);
  // A failure is rethrown out of run(): see run_io.
  asio::co_spawn(io, asio_echo::accept_loop(std::move(acceptor), "asio_mt"),
                 common::rethrow_if_failed);
  context.ready();
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back(run_io, &io);
  run_io(&io);  // never returns: the accept loop keeps the io_context busy
  for (std::thread& thread : pool) thread.join();
}

}  // namespace workloads::io::tcp_echo
