// corio_mt: one event loop per core (corio::run_sharded), each running corio's limited
// fan-out (fanout_corio_fetch.cpp: gathered coroutines, a Semaphore and a pool of kept-alive
// clients) on its share of the requests and of the limit. That is how corio spreads I/O over
// cores: loops that share nothing, rather than one loop handing sockets to a ThreadPool (whose
// workers cannot wait on sockets). The requests are alike, so a static split keeps the shards
// equally busy: shard s gets R/S requests and L/S permits (the remainders go to the first
// shards), with S = min(cores, L) so that every shard has a permit. The shards' results are
// merged once all have finished.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <utility>
#include <vector>

#include <corio/corio.hpp>

#include "workloads/common/fanout_client.hpp"
#include "workloads/common/fanout_corio_fetch.hpp"

namespace workloads::common::fanout {
namespace {

// Part `index` of `total` split into `parts` nearly equal parts.
std::int64_t share(std::int64_t total, std::int64_t parts, std::int64_t index) {
  return total / parts + (index < total % parts ? 1 : 0);
}

}  // namespace

ClientResult corio_mt(const ClientJob& job) {
  const auto cores = static_cast<std::int64_t>(std::max(1U, std::thread::hardware_concurrency()));
  const std::int64_t shards = std::min(cores, job.limit);
  std::vector<ClientResult> parts =
      corio::run_sharded(static_cast<std::size_t>(shards), [&job, shards](std::size_t shard) {
        ClientJob part = job;
        const auto index = static_cast<std::int64_t>(shard);
        part.requests = share(job.requests, shards, index);
        part.limit = share(job.limit, shards, index);
        return corio_fetch_all(std::move(part));
      });
  ClientResult result;
  for (const ClientResult& part : parts) merge(result, part);
  return result;
}

}  // namespace workloads::common::fanout
