// asio: one io_context run by this thread, a coroutine per connection (co_spawn, use_awaitable):
// read_some, answer every complete request buffered (in order), async_write the answers, read
// again. The expensive request's work is where the variant says:
//   inline   called right in the session coroutine: the io_context runs nothing else meanwhile;
//   offload  the coroutine hops onto an asio::thread_pool (default size: 2 threads per core)
//            with co_await post(bind_executor(pool, use_awaitable)), does the work there, and
//            hops back with co_await post(io_executor, use_awaitable). The bind_executor is
//            what moves it: plain post(pool, use_awaitable) runs an empty handler on the pool
//            and resumes the coroutine on its own executor, the io_context, which would leave
//            the work on the loop thread. Nothing but the work runs on the pool: the socket and
//            buffers are touched on the io_context's thread only, so no strand is needed.
// No `pool` variant: asio's own thread_pool is the offload.
// The answers already buffered go out before the work starts. Errors (EOF, reset) end a
// session through error codes (redirect_error), not exceptions.

#include "workloads/common/asio.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <sys/socket.h>
#include <utility>

// Asio's other headers after common/asio.hpp: see its note on GCC's -Wnull-dereference.
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>

#include "workloads/mixed/blocking_in_loop/requests.hpp"
#include "workloads/mixed/blocking_in_loop/servers.hpp"
#include "workloads/mixed/blocking_in_loop/work.hpp"

namespace asio = boost::asio;
using asio::ip::tcp;

namespace workloads::mixed::blocking_in_loop {
namespace {

asio::awaitable<std::uint64_t> run_work(ServerSettings settings, asio::thread_pool* pool) {
  if (settings.variant == Variant::inline_on_loop) {
    co_return expensive_work(settings.work, settings.work_ms);
  }
  const auto home = co_await asio::this_coro::executor;
  co_await asio::post(asio::bind_executor(*pool, asio::use_awaitable));  // on a pool thread now
  const std::uint64_t result = expensive_work(settings.work, settings.work_ms);
  co_await asio::post(home, asio::use_awaitable);  // back on the io_context's thread
  co_return result;
}

asio::awaitable<void> session(tcp::socket socket, ServerSettings settings,
                              asio::thread_pool* pool) {
  boost::system::error_code error;
  socket.set_option(tcp::no_delay(true), error);
  RequestStream in;
  std::string out;
  for (;;) {
    bool close_after = false;
    for (ParsedRequest request = in.next(); request.kind != ParsedRequest::Kind::need_more;
         request = in.next()) {
      std::uint64_t result = 0;
      if (request.kind == ParsedRequest::Kind::request && request.route == Route::expensive) {
        if (!out.empty()) {
          co_await asio::async_write(socket, asio::buffer(out),
                                     asio::redirect_error(asio::use_awaitable, error));
          if (error) co_return;
          out.clear();
        }
        result = co_await run_work(settings, pool);
      }
      append_answer(out, request, result);
      if (!request.keep_alive) {
        close_after = true;
        break;
      }
    }
    if (!out.empty()) {
      co_await asio::async_write(socket, asio::buffer(out),
                                 asio::redirect_error(asio::use_awaitable, error));
      if (error) co_return;
      out.clear();
    }
    if (close_after) break;
    const std::span<char> room = in.room();
    const std::size_t received = co_await socket.async_read_some(
        asio::buffer(room.data(), room.size()), asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return;  // end of stream or a reset
    in.commit(received);
  }
  socket.shutdown(tcp::socket::shutdown_send, error);
}

asio::awaitable<void> accept_connections(tcp::acceptor acceptor, ServerSettings settings,
                                         asio::thread_pool* pool) {
  const auto executor = co_await asio::this_coro::executor;
  asio::steady_timer back_off(executor);
  boost::system::error_code error;
  for (;;) {
    tcp::socket socket =
        co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      // Out of descriptors (EMFILE and kin): let connections close before trying again.
      back_off.expires_after(std::chrono::milliseconds(10));
      co_await back_off.async_wait(asio::redirect_error(asio::use_awaitable, error));
      continue;
    }
    asio::co_spawn(executor, session(std::move(socket), settings, pool), asio::detached);
  }
}

tcp protocol_of(int fd) {
  sockaddr_storage address{};
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  return address.ss_family == AF_INET6 ? tcp::v6() : tcp::v4();
}

}  // namespace

void serve_asio(harness::ServerContext& context) {
  const ServerSettings settings =
      ServerSettings::from(context, {Variant::inline_on_loop, Variant::offload});
  // Concurrency hint 1: only this thread runs the io_context, but pool threads post to it,
  // so it keeps its locking (BOOST_ASIO_CONCURRENCY_HINT_UNSAFE would not).
  asio::io_context io(1);
  std::unique_ptr<asio::thread_pool> pool;
  if (settings.variant == Variant::offload) pool = std::make_unique<asio::thread_pool>();
  tcp::acceptor acceptor(io, protocol_of(context.listen_fd), context.listen_fd);
  asio::co_spawn(io, accept_connections(std::move(acceptor), settings, pool.get()), asio::detached);
  context.ready();
  io.run();
}

}  // namespace workloads::mixed::blocking_in_loop
