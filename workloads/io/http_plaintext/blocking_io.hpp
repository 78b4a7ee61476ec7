#pragma once
// Blocking-socket helpers for the models that wait in the kernel (threads, thread_pool,
// processes): what any of them would write around read(2)/send(2).
//
//   serve_blocking(fd)     serves one connection on a blocking socket until it ends
//   send_all(fd, data)     writes all of data (blocking, or waiting in poll() on EAGAIN)
//   set_no_delay(fd)       TCP_NODELAY, as corio, Asio users and libuv users all set it
//
// send uses MSG_NOSIGNAL: a peer that reset its connection must not kill the server with
// SIGPIPE.

#include <span>

#include "workloads/io/http_plaintext/http_session.hpp"

namespace workloads::io::http_plaintext {

void set_no_delay(int fd) noexcept;

// False when the peer is gone (reset, EPIPE). Works on blocking and non-blocking sockets.
bool send_all(int fd, std::span<const char> data) noexcept;

// Reads, answers and writes until the peer closes, asks to close, or fails; does not close fd.
void serve_blocking(int fd);

}  // namespace workloads::io::http_plaintext
