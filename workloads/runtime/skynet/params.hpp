#pragma once
// runtime/skynet: the skynet benchmark (github.com/atemerev/skynet). A tree of tasks of
// fan-out 10: every inner node spawns its 10 children, waits for all of them (gather) and
// returns the sum of their results; leaf i returns i. With L leaves the root returns
// L(L-1)/2: 499999500000 for 1,000,000 leaves.
//
//   Params    leaves (a power of 10)
//   Result    the root's sum
//   Workload  points, label, check, items for harness::register_model
//   PythonWorkload  smaller trees for py_asyncio and py_uvloop (asyncio takes ~19 s at 1M)
//
// Models: corio and asio here; go, tokio (at these sizes) and the Python ones run as child
// processes (register.cpp). libuv and threads have no model (README.md says why). Each call
// builds its own loop (corio::run, an io_context): with 100,000 or 1,000,000 leaves (111,111
// or 1,111,111 tasks) that set-up is noise.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/workload.hpp"
#include "workloads/common/checks.hpp"

namespace workloads::runtime::skynet {

// Children per inner node: the benchmark's definition.
inline constexpr std::int64_t kFanOut = 10;

struct Params {
  std::int64_t leaves = 0;  // a power of kFanOut
};

struct Result {
  std::int64_t sum = 0;  // what the root returned
};

Result corio(const Params& params);
Result asio(const Params& params);

struct Workload {
  using Params = skynet::Params;
  using Result = skynet::Result;

  static constexpr std::string_view name = "runtime/skynet";

  static std::vector<Params> points(harness::Profile profile) {
    if (profile == harness::Profile::quick) return {{100'000}};
    return {{1'000'000}};
  }

  static std::string label(const Params& params) {
    return "leaves:" + std::to_string(params.leaves);
  }

  static std::string check(const Params& params, const Result& result) {
    return common::check_sum(result.sum, common::sum_below(params.leaves));
  }

  // Every node of the tree is a task: leaves + leaves/10 + ... + 1 (1,111,111 for 1M leaves),
  // so items_per_second reads as tasks spawned and joined per second.
  static double items(const Params& params) {
    std::int64_t tasks = 0;
    for (std::int64_t level = params.leaves; level >= 1; level /= kFanOut) tasks += level;
    return static_cast<double>(tasks);
  }

  static void counters(const Params& /*params*/, const Result& /*result*/,
                       harness::Counters& /*counters*/) {}
};

// asyncio's skynet is known at about 19 s for 1,000,000 leaves (every node is a Task made by
// gather, and CPython 3.11 starts none eagerly, so the whole tree is alive at once and the
// cyclic GC walks it again and again): py_asyncio and py_uvloop take 10,000 leaves (11,111
// tasks, about 0.1 s) in quick and 100,000 (111,111 tasks, about 2.4 s of CPU) in full,
// so that one call stays under ~5 s. items counts every node either way, so
// items_per_second (tasks spawned and joined per second) compares directly with the C++
// models' 1,000,000-leaf figure; the sum checked is that of the smaller tree.
struct PythonWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    if (profile == harness::Profile::quick) return {{10'000}};
    return {{100'000}};
  }
};

}  // namespace workloads::runtime::skynet
