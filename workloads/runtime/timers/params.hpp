#pragma once
// runtime/timers: N tasks each sleep D ms, all at once: every task is created (and starts
// sleeping) before the first wakes, then all wake. What one sleeping task costs in memory, and
// how long after D the last of them is done.
//
//   Params          tasks, sleep
//   Result          how many fired (and which), memory and time the model observed
//   Workload        points, label, check, items, counters for harness::register_model
//   ThreadsWorkload the same with the thread counts this machine can hold
//
// Counters: bytes_per_task (RSS while all sleep minus RSS before the first was created, over
// N; includes the loop's own set-up, which is noise at N >= 1,000), overshoot_ms (from the
// model's entry until the last task woke, minus D: creating N tasks, firing N timers, and
// the timer's lateness). Only the model knows when "all are asleep" and "the last woke", so
// it records both moments in its Result; the harness's own time also covers teardown.
//
// Each call builds its own loop; beside N >= 1,000 sleeps of D >= 1 s that set-up is noise.

#include <malloc.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/rusage.hpp"
#include "harness/workload.hpp"

namespace workloads::runtime::timers {

struct Params {
  std::int64_t tasks = 0;
  std::chrono::milliseconds sleep{0};
};

struct Result {
  std::int64_t fired = 0;  // tasks whose sleep ended
  // Sum of the ids (0 .. tasks-1) of the tasks that fired: with `fired`, catches a task that
  // fired twice while another never did.
  std::int64_t fired_id_sum = 0;
  std::int64_t asleep_at_sample = 0;  // tasks that had started sleeping when RSS was sampled
  std::int64_t awake_at_sample = 0;   // tasks that had already woken by then (must be 0)
  std::int64_t rss_delta_bytes = 0;
  std::chrono::nanoseconds elapsed{0};  // model entry -> the last task woke
  // Set when the model could not create every task (threads: the OS refused one).
  std::string error;
};

Result corio(const Params& params);
Result asio(const Params& params);
Result libuv(const Params& params);
Result threads(const Params& params);

// RSS after handing free heap memory back to the kernel: what a previous call (or model)
// freed would otherwise be reused without RSS growing, and hide this call's cost.
inline std::int64_t settled_rss_bytes() {
  ::malloc_trim(0);
  return harness::current_rss_bytes();
}

struct Workload {
  using Params = timers::Params;
  using Result = timers::Result;

  static constexpr std::string_view name = "runtime/timers";

  // D is long enough for the slowest model to create all N before the first wakes (a task
  // woken before the RSS sample would make bytes_per_task too low, so check() fails then):
  // on a loaded 2-core VM, Asio created 1,000,000 sleepers in about 1 s and the OS 10,000
  // threads in 0.6 to 1.5 s.
  static std::vector<Params> points(harness::Profile profile) {
    using std::chrono::milliseconds;
    if (profile == harness::Profile::quick) {
      return {{10'000, milliseconds(1000)}, {100'000, milliseconds(1000)}};
    }
    return {{1'000, milliseconds(3000)},
            {100'000, milliseconds(3000)},
            {1'000'000, milliseconds(3000)}};
  }

  static std::string label(const Params& params) {
    return "tasks:" + std::to_string(params.tasks) +
           "/sleep_ms:" + std::to_string(params.sleep.count());
  }

  static std::string check(const Params& params, const Result& result) {
    if (!result.error.empty()) return result.error;
    if (result.fired != params.tasks) {
      return std::to_string(result.fired) + " of " + std::to_string(params.tasks) + " tasks fired";
    }
    const std::int64_t expected_ids = params.tasks * (params.tasks - 1) / 2;
    if (result.fired_id_sum != expected_ids) {
      return "ids of fired tasks summed to " + std::to_string(result.fired_id_sum) + ", expected " +
             std::to_string(expected_ids) + " (a task fired twice or never)";
    }
    if (result.asleep_at_sample != params.tasks || result.awake_at_sample != 0) {
      return "when memory was sampled " + std::to_string(result.asleep_at_sample) + " of " +
             std::to_string(params.tasks) + " tasks had started sleeping and " +
             std::to_string(result.awake_at_sample) +
             " had woken: creating them took longer than the sleep";
    }
    // libuv counts timeouts from its loop time, truncated to whole milliseconds: a timer
    // may end up to 1 ms before D measured from the model's entry.
    if (result.elapsed < params.sleep - std::chrono::milliseconds(2)) {
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(result.elapsed);
      return "all tasks were done after " + std::to_string(ms.count()) + " ms, before the " +
             std::to_string(params.sleep.count()) + " ms sleep could end";
    }
    return "";
  }

  // One call per run: bytes_per_task is the figure here, and a second call in the same run
  // would find memory the first one freed still resident in an allocator's cache (corio's
  // frame pool keeps its chunks), so its RSS delta would understate the cost.
  static int iterations(const Params& /*params*/, harness::Profile /*profile*/) { return 1; }

  static double items(const Params& params) { return static_cast<double>(params.tasks); }

  static void counters(const Params& params, const Result& result, harness::Counters& counters) {
    counters.set("bytes_per_task",
                 static_cast<double>(result.rss_delta_bytes) / static_cast<double>(params.tasks));
    const std::chrono::duration<double, std::milli> overshoot = result.elapsed - params.sleep;
    counters.set("overshoot_ms", overshoot.count());
  }
};

// A thread per sleeping task. Each thread's stack mapping, guard page and kernel task count
// against this machine's limits (vm.max_map_count 65530 allows ~30,000 threads; ulimit -u and
// kernel.threads-max also apply), and creating 10,000 took up to 1.5 s here, so threads stop
// at 10,000, and quick runs 1,000 to stay within its 1 s sleep.
struct ThreadsWorkload : Workload {
  static constexpr std::int64_t kMaxThreads = 10'000;

  static std::vector<Params> points(harness::Profile profile) {
    using std::chrono::milliseconds;
    if (profile == harness::Profile::quick) return {{1'000, milliseconds(1000)}};
    return {{1'000, milliseconds(3000)}, {kMaxThreads, milliseconds(3000)}};
  }
};

}  // namespace workloads::runtime::timers
