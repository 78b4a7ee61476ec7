// threads: a thread per connection on blocking sockets, the classic thread-per-client server
// (Java's pre-NIO servers, early CGI-era daemons): the main thread blocks in accept and hands
// each connection to a new std::thread, detached, which blocks in recv, writes back what it
// received, and exits when the client closes. The kernel's scheduler is the event loop: a
// waiting connection is a sleeping thread with its own stack (the 16 KiB buffer sits on it).
// 1,024 connections are 1,024 threads, which Linux handles; a thread the OS refuses closes
// its connection, which the load generator counts as an error.

#include <system_error>
#include <thread>
#include <unistd.h>

#include "harness/fd_limit.hpp"
#include "workloads/io/tcp_echo/blocking_socket.hpp"
#include "workloads/io/tcp_echo/servers.hpp"

namespace workloads::io::tcp_echo {

void serve_threads(harness::ServerContext& context) {
  harness::raise_descriptor_limit();
  context.ready();
  for (;;) {
    const int fd = accept_blocking(context.listen_fd);
    try {
      std::thread(echo_until_closed, fd).detach();
    } catch (const std::system_error&) {
      ::close(fd);  // EAGAIN: out of threads; the client sees its connection end
    }
  }
}

}  // namespace workloads::io::tcp_echo
