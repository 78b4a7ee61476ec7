// corio: one event loop on this thread (corio::run) and corio's own HTTP/1.1 server,
// corio::net::http::serve: a coroutine per connection that reads, answers every complete
// pipelined request in the buffer, and sends the burst in one write. That is how an asyncio
// user serves HTTP too (one task per connection on one loop); builtin_routes answers
// GET /plaintext with "Hello, World!". The process ends on SIGTERM (default action), which
// closes every socket: no graceful drain is needed by a benchmark server.

#include <utility>

#include <corio/corio.hpp>

#include "workloads/io/http_plaintext/servers.hpp"

namespace workloads::io::http_plaintext {
namespace {

corio::Task<void> serve_on_loop(harness::ServerContext* context) {
  // Adopted on the loop's thread: the listener registers with this loop's reactor.
  corio::net::TcpListener listener = corio::net::TcpListener::adopt(context->listen_fd);
  context->ready();
  co_await corio::net::http::serve(std::move(listener));
}

}  // namespace

void serve_corio(harness::ServerContext& context) { corio::run(serve_on_loop(&context)); }

}  // namespace workloads::io::http_plaintext
