#pragma once
// The HTTP side of the blocking-socket models (threads, thread_pool, processes): serving one
// connection with read(2) and send(2) around an HttpSession. The socket helpers themselves
// (set_no_delay, accept_blocking, send_all) are workloads/common/socket_blocking.hpp, shared
// with io/tcp_echo, and are named here for this folder's models.
//
//   serve_blocking(fd)     serves one connection on a blocking socket until it ends

#include "workloads/common/socket_blocking.hpp"
#include "workloads/io/http_plaintext/http_session.hpp"

namespace workloads::io::http_plaintext {

using common::accept_blocking;
using common::send_all;
using common::set_no_delay;

// Reads, answers and writes until the peer closes, asks to close, or fails; does not close fd.
void serve_blocking(int fd);

}  // namespace workloads::io::http_plaintext
