#pragma once
// What the asio and asio_mt echo servers share (they differ only in how many threads run the
// io_context): the session coroutine, the accept loop and the listening socket's protocol.
//
//   asio_echo::echo_session   reads and writes back until end of stream (TCP_NODELAY set)
//   asio_echo::accept_loop    accepts and co_spawns a session per connection; backs off when
//                             out of descriptors
//   asio_echo::protocol_of    v4 or v6, from a listening descriptor

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <string>
#include <sys/socket.h>
#include <system_error>
#include <utility>

#include "workloads/common/asio.hpp"

// Asio's other headers after common/asio.hpp: see its note on GCC's -Wnull-dereference.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "workloads/io/tcp_echo/blocking_socket.hpp"
#include "workloads/io/tcp_echo/params.hpp"

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace workloads::io::tcp_echo::asio_echo {

using common::Awaitable;
using common::Executor;
// co_await of a deferred operation (Asio 1.24+) suspends the coroutine on the operation
// itself; use_awaitable would wrap each operation in a nested awaitable frame. Measured with
// callgrind at 64 connections: about 1,900 user-space instructions per echo instead of 2,500.
// as_tuple: errors come back as values, so end of stream throws nothing.
constexpr auto kAsValues = asio::as_tuple(asio::deferred);
using Socket = asio::basic_stream_socket<tcp, Executor>;
using Acceptor = asio::basic_socket_acceptor<tcp, Executor>;

inline Awaitable<void> echo_session(Socket socket) {
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  std::array<char, kEchoBufferBytes> buffer;  // NOLINT(cppcoreguidelines-pro-type-member-init)
  for (;;) {
    const auto [read_error, received] =
        co_await socket.async_read_some(asio::buffer(buffer), kAsValues);
    if (read_error) co_return;  // end of stream, or a reset
    const auto [write_error, written] =
        co_await asio::async_write(socket, asio::buffer(buffer.data(), received), kAsValues);
    if (write_error) co_return;
  }
}

inline bool out_of_descriptors(const boost::system::error_code& error) {
  return error == asio::error::no_descriptors || error == asio::error::no_buffer_space ||
         error == asio::error::no_memory || error == std::errc::too_many_files_open_in_system;
}

// `model` names the server in the error that ends it.
inline Awaitable<void> accept_loop(Acceptor acceptor, const char* model) {
  const Executor executor = co_await asio::this_coro::executor;
  asio::basic_waitable_timer<std::chrono::steady_clock,
                             asio::wait_traits<std::chrono::steady_clock>, Executor>
      backoff_timer(executor);
  auto backoff = std::chrono::milliseconds(1);
  for (;;) {
    auto [error, socket] = co_await acceptor.async_accept(kAsValues);
    if (!error) {
      asio::co_spawn(executor, echo_session(std::move(socket)), asio::detached);
      backoff = std::chrono::milliseconds(1);
    } else if (out_of_descriptors(error)) {
      // Keep serving the connections held; accept again once some have closed.
      backoff_timer.expires_after(backoff);
      co_await backoff_timer.async_wait(kAsValues);
      backoff = std::min(backoff * 2, std::chrono::milliseconds(100));
    } else if (error != asio::error::connection_aborted) {
      throw boost::system::system_error(error, std::string("tcp_echo ") + model + ": accept");
    }
  }
}

inline tcp protocol_of(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  return address.ss_family == AF_INET6 ? tcp::v6() : tcp::v4();
}

}  // namespace workloads::io::tcp_echo::asio_echo
