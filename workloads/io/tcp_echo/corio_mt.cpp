// corio_mt: one event loop per core (corio::run_sharded), the nginx-worker / Seastar layout
// with threads. Each shard accepts on its own listening socket: shard 0 on the harness's
// listen_fd, the others on sockets bound to the same address with SO_REUSEPORT, so the kernel
// spreads new connections over the shards' accept queues and a connection stays on the loop
// that accepted it (the siblings: workloads/common/socket_reuseport.hpp). Within a shard
// everything is as in corio.cpp: one task per connection, read and write_all
// (corio_session.hpp). The shards share nothing, so no lock is taken per request. The sibling
// sockets are bound and listening before ctx.ready(), so no connection can find a shard
// missing, and ctx.ready() waits for every shard's loop to run (common::ShardsReady).
// `--param threads=N` sets the number of shards (default: hardware_concurrency).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <thread>
#include <vector>

#include <corio/corio.hpp>

#include "harness/fd_limit.hpp"
#include "workloads/common/shards_ready.hpp"
#include "workloads/common/socket_reuseport.hpp"
#include "workloads/io/tcp_echo/corio_session.hpp"
#include "workloads/io/tcp_echo/servers.hpp"

namespace workloads::io::tcp_echo {
namespace {

// A shard's accept loop never returns. If it fails, its accept queue would go unserved while
// the other shards run on, and run_sharded would wait for them forever: end the process
// instead, so that the harness reports a dead server.
corio::Task<void> serve_shard(int listen_fd, std::size_t shard, common::ShardsReady* ready) {
  try {
    corio::net::TcpListener listener = corio::net::TcpListener::adopt(listen_fd);
    ready->started();
    for (;;) corio::spawn(corio_echo::echo_session(co_await listener.accept()));
  } catch (const std::exception& error) {
    std::fprintf(stderr, "corio-bench: tcp_echo corio_mt: shard %zu failed: %s\n", shard,
                 error.what());
    std::_Exit(3);
  }
}

}  // namespace

void serve_corio_mt(harness::ServerContext& context) {
  const auto cores = static_cast<std::int64_t>(std::max(1U, std::thread::hardware_concurrency()));
  const auto shards = static_cast<std::size_t>(context.int_param("threads", cores, 1, 1024));
  harness::raise_descriptor_limit();

  std::vector<int> listen_fds{context.listen_fd};
  while (listen_fds.size() < shards)
    listen_fds.push_back(common::bind_reuseport_sibling(context.listen_fd));
  common::ShardsReady ready(context, shards);
  corio::run_sharded(shards, [&listen_fds, &ready](std::size_t shard) {
    return serve_shard(listen_fds[shard], shard, &ready);
  });
}

}  // namespace workloads::io::tcp_echo
