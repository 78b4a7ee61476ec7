// corio_mt: one event loop per core (corio::run_sharded), the nginx-worker / Seastar layout
// with threads. Each shard accepts on its own listening socket: shard 0 on the harness's
// listen_fd, the others on sockets bound to the same address with SO_REUSEPORT, so the kernel
// spreads new connections over the shards' accept queues and a connection stays on the loop
// that accepted it. Within a shard everything is as in corio.cpp: one task per connection,
// read and write_all. The shards share nothing, so no lock is taken per request. The sibling
// sockets are bound and listening before ctx.ready(), so no connection can find a shard
// missing. `--param threads=N` sets the number of shards (default: hardware_concurrency).

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <netinet/in.h>
#include <span>
#include <sys/socket.h>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <vector>

#include <corio/corio.hpp>

#include "workloads/io/tcp_echo/blocking_socket.hpp"
#include "workloads/io/tcp_echo/params.hpp"
#include "workloads/io/tcp_echo/servers.hpp"

namespace workloads::io::tcp_echo {
namespace {

corio::Task<void> echo_session(corio::net::TcpStream stream) {
  std::array<char, kEchoBufferBytes> buffer;  // NOLINT(cppcoreguidelines-pro-type-member-init)
  try {
    for (;;) {
      const std::size_t received = co_await stream.read(buffer);
      if (received == 0) break;
      co_await stream.write_all(std::span<const char>(buffer.data(), received));
    }
  } catch (const std::system_error&) {
    stream.close();  // a reset or a broken pipe ends this connection only
  }
}

// A shard's accept loop never returns. If it fails, its accept queue would go unserved while
// the other shards run on, and run_sharded would wait for them forever: end the process
// instead, so that the harness reports a dead server.
corio::Task<void> serve_shard(int listen_fd, std::size_t shard) {
  try {
    corio::net::TcpListener listener = corio::net::TcpListener::adopt(listen_fd);
    for (;;) corio::spawn(echo_session(co_await listener.accept()));
  } catch (const std::exception& error) {
    std::fprintf(stderr, "corio-bench: tcp_echo corio_mt: shard %zu failed: %s\n", shard,
                 error.what());
    std::_Exit(3);
  }
}

// Another listening socket in listen_fd's SO_REUSEPORT group (same address and port).
int bind_sibling(int listen_fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(listen_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::system_error(errno, std::generic_category(), "tcp_echo corio_mt: getsockname");
  }
  const int fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "tcp_echo corio_mt: socket");
  const int one = 1;
  if (::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0 ||
      ::bind(fd, reinterpret_cast<const sockaddr*>(&address), length) != 0 ||
      ::listen(fd, 4096) != 0) {
    const int saved = errno;
    ::close(fd);
    throw std::system_error(saved, std::generic_category(),
                            "tcp_echo corio_mt: binding a SO_REUSEPORT sibling");
  }
  return fd;
}

}  // namespace

void serve_corio_mt(harness::ServerContext& context) {
  const auto cores = static_cast<std::int64_t>(std::max(1U, std::thread::hardware_concurrency()));
  const auto shards = static_cast<std::size_t>(context.int_param("threads", cores, 1, 1024));
  raise_fd_limit(0);

  std::vector<int> listen_fds{context.listen_fd};
  while (listen_fds.size() < shards) listen_fds.push_back(bind_sibling(context.listen_fd));
  context.ready();

  corio::run_sharded(
      shards, [&listen_fds](std::size_t shard) { return serve_shard(listen_fds[shard], shard); });
}

}  // namespace workloads::io::tcp_echo
