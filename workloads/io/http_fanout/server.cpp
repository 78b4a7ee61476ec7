// io/http_fanout's server: one corio event loop running corio::net::http::serve with its
// built-in routes. A connection is a coroutine; GET /delay?ms=D sleeps D ms on the loop's
// timers (no thread, no capacity limit) before answering 200 "OK", so the server adds almost
// nothing to D even with thousands of requests waiting. The process ends on SIGTERM (the
// default action), which closes every socket.

#include <utility>

#include <corio/corio.hpp>

#include "workloads/io/http_fanout/servers.hpp"

namespace workloads::io::http_fanout {
namespace {

corio::Task<void> serve_on_loop(harness::ServerContext* context) {
  // Adopted on the loop's thread: the listener registers with this loop's reactor.
  corio::net::TcpListener listener = corio::net::TcpListener::adopt(context->listen_fd);
  context->ready();
  co_await corio::net::http::serve(std::move(listener));
}

}  // namespace

void serve_delay_api(harness::ServerContext& context) { corio::run(serve_on_loop(&context)); }

}  // namespace workloads::io::http_fanout
