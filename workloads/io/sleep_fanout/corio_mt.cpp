// corio_mt: one event loop per core with corio::run_sharded, the tasks split between them in
// contiguous ranges of ids; each shard gathers its share exactly as the corio model does
// (corio::gather of fetch_data coroutines that co_await corio::sleep). A sleep must be awaited
// on a loop, so a ThreadPool (whose workers have none) is not the tool here; shards are.
// Shards share nothing: each counts its own tasks and returns its totals, summed after
// run_sharded has joined them. No more shards than tasks.
//
// No bytes_per_task: corio's frame pool hands the frames of exited threads to the next
// threads that allocate, so from the second call on the shards run on the frames the first
// call's shards left, and which thread took how much is not observable from outside
// (corio::detail::frame_pool_free_bytes() sees one thread's lists and the shared ones). The
// frames are the corio model's, whose figure holds for these tasks too.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <thread>
#include <utility>
#include <vector>

#include <corio/corio.hpp>

#include "workloads/common/os_threads.hpp"
#include "workloads/io/sleep_fanout/params.hpp"

namespace workloads::io::sleep_fanout {
namespace {

struct ShardTotals {
  std::int64_t completed = 0;
  std::int64_t completed_id_sum = 0;
};

corio::Task<std::int64_t> fetch_data(std::int64_t id, std::chrono::milliseconds delay,
                                     std::int64_t* completed) {
  co_await corio::sleep(delay);
  ++*completed;
  co_return id;
}

corio::Task<ShardTotals> fetch_share(std::int64_t first_id, std::int64_t end_id,
                                     std::chrono::milliseconds delay) {
  ShardTotals totals;
  std::vector<corio::Task<std::int64_t>> fetches;
  fetches.reserve(static_cast<std::size_t>(end_id - first_id));
  for (std::int64_t id = first_id; id < end_id; ++id) {
    fetches.push_back(fetch_data(id, delay, &totals.completed));
  }
  const std::vector<std::int64_t> ids = co_await corio::gather(std::move(fetches));
  totals.completed_id_sum = std::accumulate(ids.begin(), ids.end(), std::int64_t{0});
  co_return totals;
}

}  // namespace

Result corio_mt(const Params& params) {
  const auto start = std::chrono::steady_clock::now();

  const auto cores = common::hardware_threads();
  const std::int64_t shards = std::min(cores, params.tasks);
  const std::vector<ShardTotals> per_shard =
      corio::run_sharded(static_cast<std::size_t>(shards), [&params, shards](std::size_t shard) {
        const auto index = static_cast<std::int64_t>(shard);
        return fetch_share(params.tasks * index / shards, params.tasks * (index + 1) / shards,
                           params.delay);
      });

  Result result;
  for (const ShardTotals& totals : per_shard) {
    result.completed += totals.completed;
    result.completed_id_sum += totals.completed_id_sum;
  }
  result.elapsed = std::chrono::steady_clock::now() - start;
  return result;
}

}  // namespace workloads::io::sleep_fanout
