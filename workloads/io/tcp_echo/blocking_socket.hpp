#pragma once
// Plain POSIX socket helpers shared by io/tcp_echo's servers and its benchmark function: the
// blocking-socket models (threads, thread_pool, processes) echo with these, and every
// process that holds many connections raises its descriptor limit with raise_fd_limit.
//
//   raise_fd_limit(needed)   soft RLIMIT_NOFILE up to the hard limit; BadInput if too low
//   set_nodelay(fd)          TCP_NODELAY: a small echo goes out now, not after Nagle's delay
//   accept_blocking(fd)      accept(2) that rides out EINTR, aborted connections and
//                            descriptor exhaustion (it backs off and retries)
//   write_all_blocking       send(2) until all is written, never SIGPIPE
//   echo_until_closed(fd)    read what arrives, write it back, until EOF or an error

#include <cstddef>
#include <cstdint>
#include <span>

namespace workloads::io::tcp_echo {

// Raises the soft limit on open descriptors to the hard limit (a shell's `ulimit -n` is often
// 1,024: too few for 1,024 connections plus the process's own). Throws harness::BadInput
// naming both limits when even the hard limit is below `needed`.
void raise_fd_limit(std::int64_t needed);

void set_nodelay(int fd) noexcept;

// A connected socket (blocking, close-on-exec, TCP_NODELAY set). Waits when the listener has
// no connection; out of descriptors it sleeps (1 ms doubling to 100 ms) and retries, so the
// connections already held keep being served. Throws std::system_error on any other failure.
int accept_blocking(int listen_fd);

// false when the peer is gone (EPIPE, ECONNRESET ...).
bool write_all_blocking(int fd, std::span<const char> data) noexcept;

// Echoes on a blocking socket until the peer closes it or an error ends it, then closes it.
// Uses a kEchoBufferBytes buffer on the calling thread's stack; no allocation, no lock
// (safe in a child forked from a threaded process).
void echo_until_closed(int fd) noexcept;

}  // namespace workloads::io::tcp_echo
