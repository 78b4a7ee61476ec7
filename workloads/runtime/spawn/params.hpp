#pragma once
// runtime/spawn: what it costs to start one unit of work and wait for it to finish.
//
//   Params, Result   one parameter point and what a model returns
//   Workload         the harness contract (harness/workload.hpp) for corio, asio and libuv
//   ThreadsWorkload  the same workload with fewer tasks per call, for std::thread
//
// Each call spawns `tasks` trivial children one after the other, joining each before the
// next starts. A child returns its index and the model sums what it joined, so a model that
// skipped a spawn or a join fails the check. items = tasks, so ns per spawn+join is
// 1e9 / items_per_second. A call builds its own loop (corio::run, an io_context, a
// uv_loop_t): that set-up is timed too, and 100,000 tasks per call amortise it to well under
// a nanosecond per task.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/workload.hpp"
#include "workloads/common/checks.hpp"

namespace workloads::runtime::spawn {

struct Params {
  std::int64_t tasks;  // children spawned and joined one after the other
};

struct Result {
  std::int64_t joined = 0;  // children joined
  std::int64_t sum = 0;     // sum of the children's results: 0 + 1 + ... + (tasks - 1)
};

Result corio(const Params& params);
Result asio(const Params& params);
Result libuv(const Params& params);
Result threads(const Params& params);

struct Workload {
  using Params = spawn::Params;
  using Result = spawn::Result;

  static constexpr std::string_view name = "runtime/spawn";

  // 100,000 spawns take 5-60 ms on the loop-based models: quick enough for CI as it is.
  static std::vector<Params> points(harness::Profile /*profile*/) { return {{100'000}}; }

  static std::string label(const Params& params) { return "tasks:" + std::to_string(params.tasks); }

  static std::string check(const Params& params, const Result& result) {
    return common::first_error(common::check_count(result.joined, params.tasks, "tasks joined"),
                               common::check_sum(result.sum, common::sum_below(params.tasks)));
  }

  static double items(const Params& params) { return static_cast<double>(params.tasks); }

  // Only one child is alive at a time, so bytes per task is meaningless here: see
  // runtime/task_memory for that.
  static void counters(const Params& /*params*/, const Result& /*result*/,
                       harness::Counters& /*counters*/) {}
};

// std::thread create+join costs 20-50 us (clone, a fresh stack, a futex wake on exit), so the
// threads model runs 1,000 (quick) or 2,000 (full) per call: about as long as 100,000 spawns
// take on Asio.
struct ThreadsWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    return {{profile == harness::Profile::quick ? 1'000 : 2'000}};
  }
};

// CPython's create_task + await costs microseconds, not nanoseconds: 20,000 tasks per call
// (quick) or 100,000 (full, as the C++ models) keep one call under a second.
struct PythonWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    return {{profile == harness::Profile::quick ? 20'000 : 100'000}};
  }
};

}  // namespace workloads::runtime::spawn
