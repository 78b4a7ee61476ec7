#pragma once
// The Asio server shared by the asio and asio_mt models, which differ only in how many
// threads run the io_context: an acceptor coroutine that spawns one coroutine per connection
// (C++20 awaitables, Asio's own idiom since 1.17). A session coroutine is one sequential chain
// of operations on its socket, so even with N threads in run() it needs no strand.
//
//   start_accepting(io, listen_fd)   adopts the harness's listening socket and co_spawns the
//                                    acceptor on io; the caller then runs io
//
// Errors come back as values (as_tuple), not exceptions: a client leaving is the normal end of
// a keep-alive connection, not an exceptional one.

#include <chrono>
#include <span>
#include <sys/socket.h>
#include <utility>

#include "workloads/common/asio.hpp"

// Asio's other headers after common/asio.hpp: see its note on GCC's -Wnull-dereference.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "workloads/io/http_plaintext/http_session.hpp"

namespace workloads::io::http_plaintext::asio_server {

namespace asio = boost::asio;
using asio::ip::tcp;

inline asio::awaitable<void> serve_connection(tcp::socket socket) {
  socket.set_option(tcp::no_delay(true));
  HttpSession session;
  constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
  while (!session.closing()) {
    const std::span<char> room = session.receive_room();
    const auto [read_error, received] =
        co_await socket.async_read_some(asio::buffer(room.data(), room.size()), kNoThrow);
    if (read_error || received == 0) co_return;  // end of stream or a reset
    session.received(received);
    session.answer();
    const std::span<const char> unsent = session.unsent();
    if (unsent.empty()) continue;  // only part of a request so far
    const auto [write_error, written] =
        co_await asio::async_write(socket, asio::buffer(unsent.data(), unsent.size()), kNoThrow);
    if (write_error) co_return;
    session.sent(written);
  }
}

inline asio::awaitable<void> accept_loop(tcp::acceptor acceptor) {
  constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
  const auto executor = co_await asio::this_coro::executor;
  for (;;) {
    auto [error, socket] = co_await acceptor.async_accept(kNoThrow);
    if (error) {
      // Out of descriptors (EMFILE ...): back off while connections end, as corio does.
      asio::steady_timer pause(executor, std::chrono::milliseconds(1));
      co_await pause.async_wait(kNoThrow);
      continue;
    }
    asio::co_spawn(executor, serve_connection(std::move(socket)), asio::detached);
  }
}

inline void start_accepting(asio::io_context& io, int listen_fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  ::getsockname(listen_fd, reinterpret_cast<sockaddr*>(&address), &length);
  const tcp protocol = address.ss_family == AF_INET6 ? tcp::v6() : tcp::v4();
  asio::co_spawn(io, accept_loop(tcp::acceptor(io, protocol, listen_fd)), asio::detached);
}

}  // namespace workloads::io::http_plaintext::asio_server
