// corio: one loop (corio::run); a round builds a std::vector<Task<int64_t>> of the children and
// awaits corio::gather(std::move(children)), asyncio's `await gather(*children)`, which
// returns their results in order. gather starts each child at once and runs it to its first
// suspension (Python 3.12's eager start); these children never suspend, so each finishes
// before the next starts and only one child frame is alive at a time. Frames come from corio's
// frame pool; the vectors of tasks and of results are the API's own allocations per round.
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include <corio/corio.hpp>

#include "workloads/runtime/gather/params.hpp"

namespace workloads::runtime::gather {
namespace {

corio::Task<std::int64_t> child(std::int64_t index) { co_return index; }

corio::Task<Result> parent(Params params) {
  Result result;
  for (std::int64_t round = 0; round < params.rounds; ++round) {
    std::vector<corio::Task<std::int64_t>> children;
    children.reserve(static_cast<std::size_t>(params.children));
    for (std::int64_t i = 0; i < params.children; ++i) children.push_back(child(i));
    const std::vector<std::int64_t> values = co_await corio::gather(std::move(children));
    for (const std::int64_t value : values) result.sum += value;
    result.completed += static_cast<std::int64_t>(values.size());
  }
  co_return result;
}

}  // namespace

Result corio(const Params& params) { return corio::run(parent(params)); }

}  // namespace workloads::runtime::gather
