// corio's HTTP server with the benchmarks' routes: see http_corio_server.hpp.
#include "workloads/common/http_corio_server.hpp"

#include <utility>

#include <corio/corio.hpp>

#include "workloads/common/http_routes.hpp"

namespace workloads::common {
namespace {

corio::Task<void> serve_on_loop(harness::ServerContext* context) {
  // Adopted on the loop's thread: the listener registers with this loop's reactor.
  corio::net::TcpListener listener = corio::net::TcpListener::adopt(context->listen_fd);
  context->ready();
  co_await corio::net::http::serve(std::move(listener), &http_routes);
}

}  // namespace

void serve_http_corio(harness::ServerContext& context) { corio::run(serve_on_loop(&context)); }

}  // namespace workloads::common
