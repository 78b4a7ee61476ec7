// corio_mt: one corio event loop per core (corio::run_sharded), each running corio's HTTP
// server (corio::net::http::serve with the suite's routes, workloads/common/http_routes.hpp)
// on its own listening socket: the nginx-workers / Seastar layout. Shard 0 serves the harness's
// socket (ctx.listen_fd); every other shard gets its own socket bound to the same address with
// SO_REUSEPORT, so the kernel spreads new connections over the shards' accept queues, and a
// connection then lives on one loop and one thread for good: no locks, no hand-offs, nothing
// shared. The extra sockets are bound here, before any shard starts, so that a bind error fails the
// server at once and ctx.ready() is only said when every queue exists (a connection arriving
// earlier would all land in shard 0's).

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <sys/socket.h>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

#include <corio/corio.hpp>

#include "workloads/common/http_routes.hpp"
#include "workloads/io/http_plaintext/servers.hpp"

namespace workloads::io::http_plaintext {
namespace {

// A listening socket on listen_fd's exact address, in the same SO_REUSEPORT group.
int bind_like(int listen_fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(listen_fd, reinterpret_cast<sockaddr*>(&address), &length) < 0) {
    throw std::system_error(errno, std::generic_category(), "getsockname");
  }
  const int fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "socket");
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), length) < 0 ||
      ::listen(fd, 4096) < 0) {
    const int error = errno;
    ::close(fd);
    throw std::system_error(error, std::generic_category(), "bind/listen with SO_REUSEPORT");
  }
  return fd;
}

corio::Task<void> serve_shard(int listen_fd) {
  // Adopted on the shard's own thread: the listener registers with that shard's loop.
  co_await corio::net::http::serve(corio::net::TcpListener::adopt(listen_fd), &common::http_routes);
}

}  // namespace

void serve_corio_mt(harness::ServerContext& context) {
  const auto cores = static_cast<std::int64_t>(std::max(1U, std::thread::hardware_concurrency()));
  const auto shards = static_cast<std::size_t>(context.int_param("threads", cores, 1, 1024));
  std::vector<int> listen_fds{context.listen_fd};
  while (listen_fds.size() < shards) listen_fds.push_back(bind_like(context.listen_fd));
  context.ready();
  corio::run_sharded(shards,
                     [&listen_fds](std::size_t shard) { return serve_shard(listen_fds[shard]); });
}

}  // namespace workloads::io::http_plaintext
