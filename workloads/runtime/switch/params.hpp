#pragma once
// runtime/switch: what it costs to hand control from one task to another and back.
//
//   Via, Params, Result  one parameter point and what a model returns
//   Tally                what each model records on every step, so check() sees the alternation
//   Workload             the harness contract (harness/workload.hpp) for corio, asio, libuv,
//                        go and tokio
//   ThreadsWorkload      the same workload for two OS threads: its own hand-off kinds, fewer
//                        switches per call
//   PythonWorkload       the same two kinds for py_asyncio and py_uvloop, fewer switches per call
//
// Two tasks A and B take turns: each turn ("step") records itself in the Tally and then gives
// control to the other. `switches` steps in all, half each, so items = switches and
// 1e9 / items_per_second is ns per switch. check() demands that every step came right after a
// step of the other task: a model whose tasks ran their loops back to back fails. A call builds
// its own loop (corio::run, an io_context, a uv_loop_t, or one extra thread): 100,000
// switches per call amortise that to about a nanosecond per switch or less.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/workload.hpp"
#include "workloads/common/checks.hpp"

namespace workloads::runtime::switch_ {

enum class Via {
  // Each task yields to its loop and the other, already runnable, runs next (asyncio's
  // sleep(0)). corio: yield_now; asio: post; libuv: two idle handles that both stay active.
  yield,
  // Each task wakes the other explicitly, then waits to be woken. corio: two Events; asio: two
  // channels; libuv: each idle callback stops its own handle and starts the other's.
  event,
  // Threads: a mutex, a turn variable and a condition variable (an OS sleep and wake-up).
  condvar,
  // Threads: the turn variable is a std::atomic, waited on with wait()/notify_one() (a futex,
  // after libstdc++'s short spin).
  atomic,
};

inline std::string_view to_string(Via via) {
  switch (via) {
    case Via::yield:
      return "yield";
    case Via::event:
      return "event";
    case Via::condvar:
      return "condvar";
    case Via::atomic:
      return "atomic";
  }
  return "?";
}

struct Params {
  Via via;
  std::int64_t switches;  // steps of both tasks together; even, so each takes switches / 2
};

struct Result {
  std::int64_t steps = 0;     // steps taken by both tasks
  std::int64_t handoffs = 0;  // steps taken right after a step of the other task
};

// Each task calls step(0) or step(1) once per turn. Not thread-safe: the threads models call it
// only while they hold the turn, which orders the calls.
struct Tally {
  int last = -1;  // no step yet, so the first step counts as a hand-off
  Result result;

  void step(int task) {
    if (task != last) ++result.handoffs;
    last = task;
    ++result.steps;
  }
};

Result corio(const Params& params);
Result asio(const Params& params);
Result libuv(const Params& params);
Result threads(const Params& params);

struct Workload {
  using Params = switch_::Params;
  using Result = switch_::Result;

  static constexpr std::string_view name = "runtime/switch";

  static std::vector<Params> points(harness::Profile profile) {
    const std::int64_t switches = profile == harness::Profile::quick ? 100'000 : 1'000'000;
    return {{Via::yield, switches}, {Via::event, switches}};
  }

  static std::string label(const Params& params) {
    return "via:" + std::string(to_string(params.via)) +
           "/switches:" + std::to_string(params.switches);
  }

  static std::string check(const Params& params, const Result& result) {
    if (std::string error = common::check_count(result.steps, params.switches, "steps taken");
        !error.empty()) {
      return error;
    }
    if (result.handoffs != params.switches) {
      return "only " + std::to_string(result.handoffs) + " of " + std::to_string(params.switches) +
             " steps followed a step of the other task";
    }
    return "";
  }

  static double items(const Params& params) { return static_cast<double>(params.switches); }

  static void counters(const Params& /*params*/, const Result& /*result*/,
                       harness::Counters& /*counters*/) {}
};

// An OS thread hand-off costs 2-10 us (a futex wake, the scheduler, often a cross-core IPI), so
// the threads model does 10x fewer switches per call.
struct ThreadsWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    const std::int64_t switches = profile == harness::Profile::quick ? 10'000 : 100'000;
    return {{Via::condvar, switches}, {Via::atomic, switches}};
  }
};

// CPython's asyncio takes microseconds per switch, not nanoseconds (a sleep(0) goes through the
// loop's ready queue and a Task step; an Event hand-off also makes and resolves a Future), so
// py_asyncio and py_uvloop do the threads' counts: 10,000 switches per call (quick) or 100,000
// (full), about 0.03 to 0.7 s. Same labels and items, so ns per switch compares directly.
struct PythonWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    const std::int64_t switches = profile == harness::Profile::quick ? 10'000 : 100'000;
    return {{Via::yield, switches}, {Via::event, switches}};
  }
};

}  // namespace workloads::runtime::switch_
