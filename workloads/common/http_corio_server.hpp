#pragma once
// corio's HTTP/1.1 server with the benchmarks' routes, as a harness::ServerFn: the server
// io/http_plaintext measures as its corio model, and the slow local API (GET /delay?ms=D)
// that io/http_fanout's clients fan out to. One implementation for both, so that the fan-out
// is measured against the very server the plaintext test measures.
//
//   workloads::common::serve_http_corio   one corio event loop (corio::run) running
//                                         corio::net::http::serve(listener, &http_routes)
//
// A coroutine per connection reads, answers every complete pipelined request in its buffer and
// sends the burst in one write; a /delay request waits in corio::sleep, so a request takes D
// whatever the load (no capacity limit). Serves until the process ends: SIGTERM's default
// action closes every socket, and a benchmark server needs no graceful drain.

#include "harness/net/server_registry.hpp"

namespace workloads::common {

void serve_http_corio(harness::ServerContext& context);

}  // namespace workloads::common
