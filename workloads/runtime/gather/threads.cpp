// threads: a round starts one std::thread per child, each writing its result to its own slot,
// then joins them all in order; join() orders each child's write before the parent's read, so
// the slots need no atomics. That is the thread-per-task way to fan out and wait (what
// std::async with launch::async does underneath, without the shared state).
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

#include "workloads/runtime/gather/params.hpp"

namespace workloads::runtime::gather {

Result threads(const Params& params) {
  Result result;
  const auto children = static_cast<std::size_t>(params.children);
  std::vector<std::int64_t> values(children);
  std::vector<std::thread> running;
  running.reserve(children);
  for (std::int64_t round = 0; round < params.rounds; ++round) {
    for (std::size_t i = 0; i < children; ++i) {
      running.emplace_back([&values, i] { values[i] = static_cast<std::int64_t>(i); });
    }
    for (std::thread& child : running) child.join();
    running.clear();
    for (const std::int64_t value : values) result.sum += value;
    result.completed += params.children;
  }
  return result;
}

}  // namespace workloads::runtime::gather
