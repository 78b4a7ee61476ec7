#pragma once
// io/tcp_echo's servers, one per model (one file each): a harness::ServerFn (see
// harness/net/server_registry.hpp) that echoes every byte it reads back on the same
// connection, as it arrives, on ctx.listen_fd, until the process is terminated. Every model
// sets TCP_NODELAY on accepted sockets and raises its descriptor limit to the hard limit.

#include "harness/net/server_registry.hpp"

namespace workloads::io::tcp_echo {

void serve_corio(harness::ServerContext& context);
void serve_corio_mt(harness::ServerContext& context);  // --param threads=N
void serve_threads(harness::ServerContext& context);
void serve_thread_pool(harness::ServerContext& context);  // --param threads=N
void serve_processes(harness::ServerContext& context);    // --param workers=N
void serve_asio(harness::ServerContext& context);
void serve_asio_mt(harness::ServerContext& context);  // --param threads=N
void serve_libuv(harness::ServerContext& context);

}  // namespace workloads::io::tcp_echo
