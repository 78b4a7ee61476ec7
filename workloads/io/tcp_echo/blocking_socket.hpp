#pragma once
// The echo side of io/tcp_echo's blocking-socket models (threads, thread_pool, processes). The
// socket helpers themselves (set_no_delay, accept_blocking, send_all) are
// workloads/common/socket_blocking.hpp, shared with io/http_plaintext, and are named here for
// this folder's models; the descriptor limit is harness/fd_limit.hpp's.
//
//   echo_until_closed(fd)    read what arrives, write it back, until EOF or an error

#include <cstdint>

#include "workloads/common/socket_blocking.hpp"

namespace workloads::io::tcp_echo {

using common::accept_blocking;
using common::send_all;
using common::set_no_delay;

// Echoes on a blocking socket until the peer closes it or an error ends it, then closes it.
// Uses a kEchoBufferBytes buffer on the calling thread's stack; no allocation, no lock
// (safe in a child forked from a threaded process).
void echo_until_closed(int fd) noexcept;

}  // namespace workloads::io::tcp_echo
