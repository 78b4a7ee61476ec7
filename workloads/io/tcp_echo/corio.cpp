// corio: one event loop on this thread (corio::run), asyncio's echo server: the listener
// (TcpListener::adopt of the harness's socket) accepts in a loop and spawns one task per
// connection, which reads what has arrived and write_all()s it back until end of stream
// (corio_session.hpp, shared with corio_mt).
// A waiting connection is a suspended coroutine with its buffer, not a thread; epoll_wait
// serves every connection ready at once. Accepted streams are non-blocking with TCP_NODELAY
// already set by corio. The tasks are detached (spawn's handle dropped): a benchmark server
// ends with the process (SIGTERM), so nothing needs to join them.

#include <utility>

#include <corio/corio.hpp>

#include "harness/fd_limit.hpp"
#include "workloads/io/tcp_echo/corio_session.hpp"
#include "workloads/io/tcp_echo/servers.hpp"

namespace workloads::io::tcp_echo {
namespace {

corio::Task<void> accept_loop(harness::ServerContext* context) {
  // Adopted on the loop's thread: the listener registers with this loop's reactor.
  corio::net::TcpListener listener = corio::net::TcpListener::adopt(context->listen_fd);
  context->ready();
  for (;;) corio::spawn(corio_echo::echo_session(co_await listener.accept()));
}

}  // namespace

void serve_corio(harness::ServerContext& context) {
  harness::raise_descriptor_limit();
  corio::run(accept_loop(&context));
}

}  // namespace workloads::io::tcp_echo
