// corio: one event loop on this thread (corio::run), asyncio's echo server: the listener
// (TcpListener::adopt of the harness's socket) accepts in a loop and spawns one task per
// connection, which reads what has arrived and write_all()s it back until end of stream.
// A waiting connection is a suspended coroutine with its buffer, not a thread; epoll_wait
// serves every connection ready at once. Accepted streams are non-blocking with TCP_NODELAY
// already set by corio. The tasks are detached (spawn's handle dropped): a benchmark server
// ends with the process (SIGTERM), so nothing needs to join them.

#include <array>
#include <cstddef>
#include <span>
#include <system_error>
#include <utility>

#include <corio/corio.hpp>

#include "workloads/io/tcp_echo/blocking_socket.hpp"
#include "workloads/io/tcp_echo/params.hpp"
#include "workloads/io/tcp_echo/servers.hpp"

namespace workloads::io::tcp_echo {
namespace {

// Takes the stream by value: the spawned task owns it.
corio::Task<void> echo_session(corio::net::TcpStream stream) {
  // In the frame: one allocation per connection (a frame this large comes from operator new,
  // not from corio's pool of small frames).
  std::array<char, kEchoBufferBytes> buffer;  // NOLINT(cppcoreguidelines-pro-type-member-init)
  try {
    for (;;) {
      const std::size_t received = co_await stream.read(buffer);
      if (received == 0) break;  // the client closed its side
      co_await stream.write_all(std::span<const char>(buffer.data(), received));
    }
  } catch (const std::system_error&) {
    stream.close();  // a reset or a broken pipe ends this connection only
  }
}

corio::Task<void> accept_loop(harness::ServerContext* context) {
  // Adopted on the loop's thread: the listener registers with this loop's reactor.
  corio::net::TcpListener listener = corio::net::TcpListener::adopt(context->listen_fd);
  context->ready();
  for (;;) corio::spawn(echo_session(co_await listener.accept()));
}

}  // namespace

void serve_corio(harness::ServerContext& context) {
  raise_fd_limit(0);
  corio::run(accept_loop(&context));
}

}  // namespace workloads::io::tcp_echo
