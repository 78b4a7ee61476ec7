// asio: one io_context run by this thread, C++20 coroutines: an acceptor coroutine
// co_spawns one session coroutine per connection (detached), which co_awaits
// async_read_some and then async_write of what it read, until end of stream: the shape of
// Asio's own cpp20 echo_server example. The fast paths an Asio expert takes on one thread:
// the UNSAFE concurrency hint (only this thread touches the io_context, so the scheduler and
// the reactor take no mutex), the concrete io_context executor instead of the type-erased
// any_io_executor, and operations co_awaited as `deferred` rather than `use_awaitable`.
// Errors come back as values (as_tuple): end of stream ends a session without an exception.
// TCP_NODELAY is set on every accepted socket.

#include "workloads/common/asio.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <sys/socket.h>
#include <system_error>
#include <utility>

#include "harness/fd_limit.hpp"
#include "workloads/io/tcp_echo/asio_session.hpp"
#include "workloads/io/tcp_echo/blocking_socket.hpp"
#include "workloads/io/tcp_echo/servers.hpp"

namespace asio = boost::asio;

namespace workloads::io::tcp_echo {

void serve_asio(harness::ServerContext& context) {
  harness::raise_descriptor_limit();
  asio::io_context io{common::kSingleThreadHint};
  asio_echo::Acceptor acceptor(io.get_executor(), asio_echo::protocol_of(context.listen_fd),
                               context.listen_fd);
  // A failure is rethrown out of run(): the server fails.
  asio::co_spawn(io, asio_echo::accept_loop(std::move(acceptor), "asio"),
                 common::rethrow_if_failed);
  context.ready();
  io.run();
}

}  // namespace workloads::io::tcp_echo
