// asio: one io_context run by this thread, C++20 coroutines: an acceptor coroutine
// co_spawns one session coroutine per connection (detached), which co_awaits
// async_read_some and then async_write of what it read, until end of stream: the shape of
// Asio's own cpp20 echo_server example. The fast paths an Asio expert takes on one thread:
// the UNSAFE concurrency hint (only this thread touches the io_context, so the scheduler and
// the reactor take no mutex), the concrete io_context executor instead of the type-erased
// any_io_executor, and operations co_awaited as `deferred` rather than `use_awaitable`.
// Errors come back as values (as_tuple): end of stream ends a session without an exception.
// TCP_NODELAY is set on every accepted socket.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <exception>
#include <sys/socket.h>
#include <system_error>
#include <utility>

#include <boost/asio/io_context.hpp>

#include "workloads/io/tcp_echo/asio_session.hpp"
#include "workloads/io/tcp_echo/blocking_socket.hpp"
#include "workloads/io/tcp_echo/servers.hpp"

namespace asio = boost::asio;

namespace workloads::io::tcp_echo {
namespace {

using asio_echo::accept_loop;
using asio_echo::Acceptor;
using asio_echo::protocol_of;

}  // namespace

void serve_asio(harness::ServerContext& context) {
  raise_fd_limit(0);
  asio::io_context io{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE};
  Acceptor acceptor(io.get_executor(), protocol_of(context.listen_fd), context.listen_fd);
  asio::co_spawn(io, accept_loop(std::move(acceptor), "asio"), [](const std::exception_ptr& error) {
    if (error) std::rethrow_exception(error);  // out of run(): the server fails
  });
  context.ready();
  io.run();
}

}  // namespace workloads::io::tcp_echo
