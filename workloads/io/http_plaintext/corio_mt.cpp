// corio_mt: one corio event loop per core (corio::run_sharded), each running corio's HTTP
// server (corio::net::http::serve with the suite's routes, workloads/common/http_routes.hpp)
// on its own listening socket: the nginx-workers / Seastar layout. Shard 0 serves the harness's
// socket (ctx.listen_fd); every other shard gets its own socket bound to the same address with
// SO_REUSEPORT, so the kernel spreads new connections over the shards' accept queues, and a
// connection then lives on one loop and one thread for good: no locks, no hand-offs, nothing
// shared. The extra sockets (workloads/common/socket_reuseport.hpp) are bound here, before
// any shard starts, so that a bind error fails the server at once and ctx.ready() is only said
// when every queue exists (a connection arriving earlier would all land in shard 0's).

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

#include <corio/corio.hpp>

#include "workloads/common/http_routes.hpp"
#include "workloads/common/socket_reuseport.hpp"
#include "workloads/io/http_plaintext/servers.hpp"

namespace workloads::io::http_plaintext {
namespace {

corio::Task<void> serve_shard(int listen_fd) {
  // Adopted on the shard's own thread: the listener registers with that shard's loop.
  co_await corio::net::http::serve(corio::net::TcpListener::adopt(listen_fd), &common::http_routes);
}

}  // namespace

void serve_corio_mt(harness::ServerContext& context) {
  const auto cores = static_cast<std::int64_t>(std::max(1U, std::thread::hardware_concurrency()));
  const auto shards = static_cast<std::size_t>(context.int_param("threads", cores, 1, 1024));
  std::vector<int> listen_fds{context.listen_fd};
  while (listen_fds.size() < shards)
    listen_fds.push_back(common::bind_reuseport_sibling(context.listen_fd));
  context.ready();
  corio::run_sharded(shards,
                     [&listen_fds](std::size_t shard) { return serve_shard(listen_fds[shard]); });
}

}  // namespace workloads::io::http_plaintext
