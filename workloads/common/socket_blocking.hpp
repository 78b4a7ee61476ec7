#pragma once
// Plain POSIX socket helpers for the server models that wait in the kernel (threads,
// thread_pool, processes) of the server workloads (io/tcp_echo, io/http_plaintext): what any
// of them would write around accept(2) and send(2).
//
//   set_no_delay(fd)       TCP_NODELAY: a small reply goes out now, not after Nagle's delay,
//                          as corio, Asio users and libuv users all set it
//   accept_blocking(fd)    accept(2) that rides out EINTR, aborted connections and
//                          descriptor exhaustion (it backs off and retries); sets TCP_NODELAY
//   send_all(fd, data)     send(2) until all is written (waiting in poll() on EAGAIN for a
//                          non-blocking socket), never SIGPIPE
//
// Thread safety: any thread; no allocation, no lock (safe in a child forked from a threaded
// process).

#include <span>

namespace workloads::common {

void set_no_delay(int fd) noexcept;

// A connected socket (blocking, close-on-exec, TCP_NODELAY set). Waits when the listener has
// no connection; out of descriptors it sleeps (1 ms doubling to 100 ms) and retries, so the
// connections already held keep being served. Throws std::system_error on any other failure.
int accept_blocking(int listen_fd);

// False when the peer is gone (reset, EPIPE). Works on blocking and non-blocking sockets.
bool send_all(int fd, std::span<const char> data) noexcept;

}  // namespace workloads::common
