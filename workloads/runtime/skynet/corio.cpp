// corio: every node is a corio::Task; an inner node builds its 10 children as a vector of
// (lazy) tasks and co_awaits corio::gather over it, asyncio's gather(*children). gather runs
// each child at once until its first suspension, and skynet's nodes never suspend, so the tree
// is walked depth first with a few dozen frames alive at a time, on one thread.

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

#include <corio/corio.hpp>

#include "workloads/runtime/skynet/params.hpp"

namespace workloads::runtime::skynet {
namespace {

corio::Task<std::int64_t> node(std::int64_t num, std::int64_t size) {
  if (size == 1) co_return num;

  const std::int64_t child_size = size / kFanOut;
  std::vector<corio::Task<std::int64_t>> children;
  children.reserve(static_cast<std::size_t>(kFanOut));
  for (std::int64_t i = 0; i < kFanOut; ++i) {
    children.push_back(node(num + i * child_size, child_size));
  }

  const std::vector<std::int64_t> sums = co_await corio::gather(std::move(children));
  co_return std::accumulate(sums.begin(), sums.end(), std::int64_t{0});
}

}  // namespace

Result corio(const Params& params) { return Result{corio::run(node(0, params.leaves))}; }

}  // namespace workloads::runtime::skynet
