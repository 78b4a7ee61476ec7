#pragma once
// io/http_fanout's server: the slow local API the clients fan out to. One implementation,
// whatever the client's model, run in its own process (see
// workloads/common/fanout_shared_server.hpp).

#include "harness/net/server_registry.hpp"
#include "workloads/common/http_corio_server.hpp"

namespace workloads::io::http_fanout {

// corio's HTTP/1.1 server (corio::net::http::serve) with the suite's routes
// (workloads/common/http_routes.hpp) on ctx.listen_fd: GET /delay?ms=D answers 200 "OK" after
// D ms. No capacity limit: every connection is served at once by its own coroutine, so a
// request takes D whatever the load. It is the very server io/http_plaintext measures as its
// corio model (the routes answer /plaintext and /delay alike).
inline void serve_delay_api(harness::ServerContext& context) { common::serve_http_corio(context); }

}  // namespace workloads::io::http_fanout
