#pragma once
// io/http_plaintext's servers, one per model: each is a harness::ServerFn (see
// harness/net/server_registry.hpp) that serves GET /plaintext -> 200 "Hello, World!" with
// keep-alive and pipelining on ctx.listen_fd until the process is terminated. Parameters
// (--param key=value): processes takes `workers`; corio_mt, thread_pool and
// asio_mt take `threads` (default: one per core).

#include "harness/net/server_registry.hpp"

namespace workloads::io::http_plaintext {

void serve_corio(harness::ServerContext& context);
void serve_corio_mt(harness::ServerContext& context);
void serve_threads(harness::ServerContext& context);
void serve_thread_pool(harness::ServerContext& context);
void serve_processes(harness::ServerContext& context);
void serve_asio(harness::ServerContext& context);
void serve_asio_mt(harness::ServerContext& context);
void serve_libuv(harness::ServerContext& context);

}  // namespace workloads::io::http_plaintext
