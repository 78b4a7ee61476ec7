#pragma once
// common::ShardsReady: a corio::run_sharded server says it serves (ServerContext::ready) only
// once every shard runs, i.e. once each shard's loop (its epoll instance and eventfd) exists and
// its listener is adopted. Said before, a shard whose set-up then fails (EMFILE once the
// connections already queued have taken the descriptors) would leave its SO_REUSEPORT accept
// queue unserved in a server that looks alive; the shards call `started()` first thing, and a
// shard that fails ends the process (see the corio_mt servers), so the harness sees the failure.
//
// Thread safety: started() from any shard's thread; the last one prints the serving line.
// Cost: one atomic decrement per shard.

#include <atomic>
#include <cstddef>

#include "harness/net/server_registry.hpp"

namespace workloads::common {

class ShardsReady {
 public:
  ShardsReady(harness::ServerContext& context, std::size_t shards) noexcept
      : context_(context), left_(shards) {}

  void started() {
    if (left_.fetch_sub(1, std::memory_order_acq_rel) == 1) context_.ready();
  }

 private:
  harness::ServerContext& context_;
  std::atomic<std::size_t> left_;
};

}  // namespace workloads::common
