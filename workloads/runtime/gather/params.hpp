#pragma once
// runtime/gather: what it costs to fan out to K children and wait for all of them.
//
//   Params, Result   one parameter point and what a model returns
//   Workload         the harness contract (harness/workload.hpp) for corio, asio, libuv, go
//                    and tokio
//   ThreadsWorkload  the same workload for std::thread, with fewer rounds per call
//   PythonWorkload   the same for py_asyncio and py_uvloop, with fewer rounds per call
//
// A round starts `children` children at once, child i returning i, and waits for all of them;
// a call runs `rounds` rounds one after the other and sums every child's result, so a model
// that dropped a child or a round fails the check. items = children * rounds, so
// 1e9 / items_per_second is ns per child (its start, its result, its share of the join). A
// call builds its own loop (corio::run, an io_context, a uv_loop_t): at 100,000 children per
// call (50,000 in quick) that set-up is about a nanosecond per child or less.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/workload.hpp"
#include "workloads/common/checks.hpp"

namespace workloads::runtime::gather {

struct Params {
  std::int64_t children;  // children per round, all started before any is awaited
  std::int64_t rounds;    // rounds per call, one after the other
};

struct Result {
  std::int64_t completed = 0;  // children whose result reached the parent
  std::int64_t sum = 0;        // rounds * (0 + 1 + ... + (children - 1))
};

Result corio(const Params& params);
Result asio(const Params& params);
Result libuv(const Params& params);
Result threads(const Params& params);

struct Workload {
  using Params = gather::Params;
  using Result = gather::Result;

  static constexpr std::string_view name = "runtime/gather";

  // full adds a wide fan-out (10,000 children per round) to show whether a model's cost per
  // child grows with the width of the group.
  static std::vector<Params> points(harness::Profile profile) {
    if (profile == harness::Profile::quick) return {{100, 500}};
    return {{100, 5'000}, {10'000, 20}};
  }

  static std::string label(const Params& params) {
    return "children:" + std::to_string(params.children) +
           "/rounds:" + std::to_string(params.rounds);
  }

  static std::string check(const Params& params, const Result& result) {
    return common::first_error(
        common::check_count(result.completed, params.children * params.rounds,
                            "children completed"),
        common::check_sum(result.sum, params.rounds * common::sum_below(params.children)));
  }

  static double items(const Params& params) {
    return static_cast<double>(params.children * params.rounds);
  }

  // Children return at once, so few are alive at a time: bytes per task is measured by
  // runtime/task_memory, not here.
  static void counters(const Params& /*params*/, const Result& /*result*/,
                       harness::Counters& /*counters*/) {}
};

// A thread per child costs 20-50 us to create and join, so the threads model runs fewer rounds
// of the same width.
struct ThreadsWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    if (profile == harness::Profile::quick) return {{100, 10}};
    return {{100, 100}, {10'000, 1}};
  }
};

// asyncio.gather costs microseconds per child (each child becomes a Task, scheduled through
// the loop's ready queue, and gather adds a done-callback per child): 100 rounds per call in
// quick and 1,000 in full, and 10 rounds at the wide point, 100,000 children per call at most
// (about 0.3 to 0.7 s). Same widths and labels, so ns per child compares directly.
struct PythonWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    if (profile == harness::Profile::quick) return {{100, 100}};
    return {{100, 1'000}, {10'000, 10}};
  }
};

}  // namespace workloads::runtime::gather
