#pragma once
// io/http_fanout's server: the slow local API the clients fan out to. One implementation,
// whatever the client's model, run in its own process (see shared_server.hpp).

#include "harness/net/server_registry.hpp"

namespace workloads::io::http_fanout {

// corio's HTTP/1.1 server (corio::net::http::serve) with its built-in routes on
// ctx.listen_fd: GET /delay?ms=D answers 200 "OK" after D ms. No capacity limit: every
// connection is served at once by its own coroutine, so a request takes D whatever the load.
void serve_delay_api(harness::ServerContext& context);

}  // namespace workloads::io::http_fanout
