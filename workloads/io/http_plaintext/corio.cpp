// corio: one event loop on this thread (corio::run) and corio's own HTTP/1.1 server,
// corio::net::http::serve: a coroutine per connection that reads, answers every complete
// pipelined request in the buffer, and sends the burst in one write. That is how an asyncio
// user serves HTTP too (one task per connection on one loop); the suite's routes
// (workloads/common/http_routes.hpp) answer GET /plaintext with "Hello, World!". The server is
// workloads/common/http_corio_server.cpp, which io/http_fanout's clients also call for /delay.
// The process ends on SIGTERM (default action), which closes every socket: no graceful drain
// is needed by a benchmark server.

#include "workloads/common/http_corio_server.hpp"
#include "workloads/io/http_plaintext/servers.hpp"

namespace workloads::io::http_plaintext {

void serve_corio(harness::ServerContext& context) { common::serve_http_corio(context); }

}  // namespace workloads::io::http_plaintext
