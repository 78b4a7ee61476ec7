// corio_mt: one corio event loop per core (corio::run_sharded), each running corio's HTTP
// server (corio::net::http::serve with the suite's routes, workloads/common/http_routes.hpp)
// on its own listening socket: the nginx-workers / Seastar layout. Shard 0 serves the harness's
// socket (ctx.listen_fd); every other shard gets its own socket bound to the same address with
// SO_REUSEPORT, so the kernel spreads new connections over the shards' accept queues, and a
// connection then lives on one loop and one thread for good: no locks, no hand-offs, nothing
// shared. The extra sockets (workloads/common/socket_reuseport.hpp) are bound here, before
// any shard starts, so that a bind error fails the server at once; ctx.ready() is only said
// when every queue exists (a connection arriving earlier would all land in shard 0's) and every
// shard's loop runs (common::ShardsReady). A shard that fails ends the process (exit 3): its
// accept queue must not go unserved while the other shards run on.

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <thread>
#include <utility>
#include <vector>

#include <corio/corio.hpp>

#include "workloads/common/http_routes.hpp"
#include "workloads/common/shards_ready.hpp"
#include "workloads/common/socket_reuseport.hpp"
#include "workloads/io/http_plaintext/servers.hpp"

namespace workloads::io::http_plaintext {
namespace {

corio::Task<void> serve_shard(int listen_fd, std::size_t shard, common::ShardsReady* ready) {
  try {
    // Adopted on the shard's own thread: the listener registers with that shard's loop.
    corio::net::TcpListener listener = corio::net::TcpListener::adopt(listen_fd);
    ready->started();
    co_await corio::net::http::serve(std::move(listener), &common::http_routes);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "corio-bench: http_plaintext corio_mt: shard %zu failed: %s\n", shard,
                 error.what());
    std::_Exit(3);
  }
}

}  // namespace

void serve_corio_mt(harness::ServerContext& context) {
  const auto cores = static_cast<std::int64_t>(std::max(1U, std::thread::hardware_concurrency()));
  const auto shards = static_cast<std::size_t>(context.int_param("threads", cores, 1, 1024));
  std::vector<int> listen_fds{context.listen_fd};
  while (listen_fds.size() < shards)
    listen_fds.push_back(common::bind_reuseport_sibling(context.listen_fd));
  common::ShardsReady ready(context, shards);
  corio::run_sharded(shards, [&listen_fds, &ready](std::size_t shard) {
    return serve_shard(listen_fds[shard], shard, &ready);
  });
}

}  // namespace workloads::io::http_plaintext
