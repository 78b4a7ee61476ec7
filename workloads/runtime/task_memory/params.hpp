#pragma once
// runtime/task_memory: what one idle task costs in memory. N tasks each wait on something
// that only the model's main flow will signal; RSS is sampled while all N wait, then all are
// released and every one must finish.
//
//   Params           tasks
//   Result           how many waited and finished, the RSS growth while all waited, how long
//                    creating them took
//   MemoryProbe      the RSS growth behind bytes_per_task (harness/bytes_per_task.hpp)
//   Workload         points, label, check, items, counters for harness::register_model
//   ThreadsWorkload  the same with 1,000 tasks: each is a thread
//   PythonWorkload   the same for py_asyncio and py_uvloop, 10,000 tasks in quick
//
// Counters: bytes_per_task = (RSS while all N wait - RSS before the first was created) / N
// (harness/bytes_per_task.hpp, MemoryGrowth::rss_after_trim: see MemoryProbe). It includes the
// loop's own set-up, which is noise at N = 100,000. A thread's kernel-side cost
// (its kernel stack and task struct) is not in RSS, so threads look cheaper than they are.
// creation_ns_per_task = the time from just before the first task's memory was allocated
// until all N were waiting, over N: creating an idle task and running it to its wait. No
// items_per_second: the harness times the whole call, which also holds the heap trim, two
// /proc reads, the release, the join and the teardown, so N over it is no rate of creation.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/bytes_per_task.hpp"
#include "harness/workload.hpp"
#include "workloads/common/checks.hpp"

namespace workloads::runtime::task_memory {

struct Params {
  std::int64_t tasks = 0;
};

struct Result {
  std::int64_t waiting_at_sample = 0;   // tasks that had begun waiting when RSS was sampled
  std::int64_t finished_at_sample = 0;  // tasks already finished by then (must be 0)
  std::int64_t finished = 0;            // tasks that finished after the release
  std::int64_t rss_delta_bytes = 0;
  // From just before the first task's memory was allocated (frames, handles, thread
  // objects) until all N were waiting; the loop's own set-up and the RSS readings excluded.
  std::chrono::nanoseconds creation{0};
  std::string error;  // set when the model could not create every task (threads)
};

Result corio(const Params& params);
Result asio(const Params& params);
Result libuv(const Params& params);
Result threads(const Params& params);

// bytes_per_task by harness/bytes_per_task.hpp's method with MemoryGrowth::rss_after_trim: one
// call per run (iterations()), so both readings are RSS after malloc_trim(0), and the growth is
// RSS's. A corio model passes FramePool::counted.
using MemoryProbe = harness::TaskMemoryProbeOf<harness::MemoryGrowth::rss_after_trim>;

// The same reading for models that read RSS themselves (rss_delta_bytes = settled RSS with the
// tasks alive minus settled RSS before): the same figure as MemoryProbe with FramePool::ignored.
using harness::settled_rss_bytes;

struct Workload {
  using Params = task_memory::Params;
  using Result = task_memory::Result;

  static constexpr std::string_view name = "runtime/task_memory";

  // 100,000 tasks: large enough that page granularity and the loop's set-up vanish in the
  // per-task figure, small enough that a call takes milliseconds.
  static std::vector<Params> points(harness::Profile /*profile*/) { return {{100'000}}; }

  static std::string label(const Params& params) { return "tasks:" + std::to_string(params.tasks); }

  static std::string check(const Params& params, const Result& result) {
    if (!result.error.empty()) return result.error;
    if (result.waiting_at_sample != params.tasks || result.finished_at_sample != 0) {
      return "when memory was sampled " + std::to_string(result.waiting_at_sample) + " of " +
             std::to_string(params.tasks) + " tasks were waiting and " +
             std::to_string(result.finished_at_sample) + " had finished";
    }
    if (result.creation <= std::chrono::nanoseconds::zero()) {
      return "creating the tasks took " + std::to_string(result.creation.count()) +
             " ns: the model did not time it";
    }
    return common::check_count(result.finished, params.tasks, "tasks finished after the release");
  }

  // One call per run: bytes_per_task is the figure here, and a second call in the same run
  // would find memory the first one freed still resident in an allocator's cache (corio's
  // frame pool keeps its chunks), so its RSS delta would understate the cost.
  static int iterations(const Params& /*params*/, harness::Profile /*profile*/) { return 1; }

  // No items_per_second: see creation_ns_per_task in the comment at the top.
  static double items(const Params& /*params*/) { return 0; }

  static void counters(const Params& params, const Result& result, harness::Counters& counters) {
    const auto tasks = static_cast<double>(params.tasks);
    counters.set("bytes_per_task", harness::bytes_per_task(result.rss_delta_bytes, params.tasks));
    counters.set("creation_ns_per_task", static_cast<double>(result.creation.count()) / tasks);
  }
};

// A blocked thread per task: 1,000 of them show the per-thread cost without nearing this
// machine's thread limits (runtime/timers goes to 10,000).
struct ThreadsWorkload : Workload {
  static std::vector<Params> points(harness::Profile /*profile*/) { return {{1'000}}; }
};

// An idle asyncio task holds about 1.3 KB and takes microseconds to create and run to its wait:
// 10,000 tasks in quick (about 13 MB) and the C++ models' 100,000 in full. bytes_per_task is
// the same figure, RSS growth over N between two trimmed readings (py_asyncio.py says how).
struct PythonWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    if (profile == harness::Profile::quick) return {{10'000}};
    return {{100'000}};
  }
};

}  // namespace workloads::runtime::task_memory
