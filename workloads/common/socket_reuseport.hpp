#pragma once
// The multi-loop server models' extra listening sockets (corio_mt of io/tcp_echo and
// io/http_plaintext): one loop per core, each accepting on its own socket in the harness
// socket's SO_REUSEPORT group, so that the kernel spreads new connections over the loops'
// accept queues (the nginx-workers / Seastar layout).
//
//   bind_reuseport_sibling(listen_fd)   a new listening socket on listen_fd's exact address
//
// Bind them all before saying ready (harness::ServerContext::ready), so that a bind error fails
// the server at once and no connection arrives while a loop's queue is missing.

namespace workloads::common {

// A listening socket (blocking, close-on-exec, SO_REUSEADDR and SO_REUSEPORT, backlog 4,096)
// bound to listen_fd's address and port. Throws std::system_error when it cannot be made.
int bind_reuseport_sibling(int listen_fd);

}  // namespace workloads::common
