#pragma once
// runtime/timers: N tasks each sleep D ms, all at once: every task is created (and starts
// sleeping) before the first wakes, then all wake. What one sleeping task costs in memory, and
// how late each timer fires.
//
//   Params           tasks, sleep
//   Result           how many fired (and which), each timer's lateness, memory and time
//   LatenessSlots    one slot per task: its deadline while it sleeps, its lateness once woken
//   LatenessSummary  exact p50, p99, min and max of the lateness, and how many fired early
//   MemoryProbe      the RSS growth behind bytes_per_task (harness/bytes_per_task.hpp)
//   Workload         points, label, check, items, counters for harness::register_model
//   ThreadsWorkload  the same with the thread counts this machine can hold
//   PythonWorkload   the same for py_asyncio and py_uvloop, with at most 100,000 tasks
//   GoWorkload, TokioWorkload  the same for go and tokio, with the counts each creates within D
//
// One deadline for every model: a task reads steady_clock (CLOCK_MONOTONIC) right before it
// arms its timer and adds D; it reads the clock again first thing when it wakes, and its
// lateness is that reading minus its deadline. Each model's own timer may count D from
// another moment (libuv from the loop's cached time, which is earlier), so a timer can fire
// before this deadline: that shows as a negative lateness, reported as it is.
//
// Counters: timer_lateness_p50_us, _p99_us, _max_us and _min_us (exact, over all N timers:
// every sample is kept), timers_fired_early (how many fired before their deadline by more
// than the clock's resolution), bytes_per_task (RSS while all sleep minus RSS before the
// first was created, over N: harness/bytes_per_task.hpp, MemoryGrowth::rss_after_trim;
// includes the loop's own set-up, which is noise at N >= 1,000; the lateness slots are
// allocated and touched before that first RSS reading, so they are not in it), overshoot_ms
// (from the model's start until the last task woke, minus D: not a timer's lateness but
// creating N tasks, the last timer's lateness and resuming the tasks woken before it). Only
// the model knows when "all are asleep" and when each task woke, so it records them in its
// Result; the harness's own time also covers teardown.
//
// Each call builds its own loop; beside N >= 1,000 sleeps of D >= 1 s that set-up is noise.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <time.h>
#include <utility>
#include <vector>

#include "harness/bytes_per_task.hpp"
#include "harness/workload.hpp"
#include "workloads/common/checks.hpp"

namespace workloads::runtime::timers {

struct Params {
  std::int64_t tasks = 0;
  std::chrono::milliseconds sleep{0};
};

// steady_clock now, in nanoseconds: CLOCK_MONOTONIC, the clock of corio's timers, Asio's
// steady_timer, the kernel's nanosleep and libuv's uv_hrtime alike.
inline std::int64_t clock_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The clock's resolution (clock_getres; 1 ns on Linux with a TSC): a lateness within it of
// zero is not "early".
inline std::int64_t clock_resolution_ns() noexcept {
  timespec resolution{};
  if (::clock_getres(CLOCK_MONOTONIC, &resolution) != 0) return 1;
  return std::int64_t{resolution.tv_sec} * 1'000'000'000 + resolution.tv_nsec;
}

// One slot per task, indexed by the task's id, allocated and written in full by the model
// before its first RSS reading (so the samples are not in bytes_per_task, and no page of them
// is first touched while the tasks sleep). A slot holds kNotArmed until its task arms its
// timer, then the task's deadline (clock_ns() + D), then, from the moment the task wakes, its
// lateness (the wake's clock_ns() minus that deadline). Keeping the deadline in the slot
// rather than in the task keeps every sleeping task exactly as large as without the
// measurement. A task touches only its own slot.
class LatenessSlots {
 public:
  static constexpr std::int64_t kNotArmed = std::numeric_limits<std::int64_t>::min();

  explicit LatenessSlots(std::int64_t tasks) : slots_(static_cast<std::size_t>(tasks), kNotArmed) {}

  // Right before task `id` arms its timer for `sleep`.
  void arm(std::int64_t id, std::chrono::milliseconds sleep) noexcept {
    slots_[static_cast<std::size_t>(id)] =
        clock_ns() + std::chrono::duration_cast<std::chrono::nanoseconds>(sleep).count();
  }

  // First thing when task `id` wakes; returns the wake's clock_ns().
  std::int64_t wake(std::int64_t id) noexcept {
    const std::int64_t now = clock_ns();
    std::int64_t& slot = slots_[static_cast<std::size_t>(id)];
    slot = now - slot;
    return now;
  }

  // The samples, for the Result, once every task has woken.
  std::vector<std::int64_t> take() noexcept { return std::move(slots_); }

 private:
  std::vector<std::int64_t> slots_;
};

struct Result {
  std::int64_t fired = 0;  // tasks whose sleep ended
  // Sum of the ids (0 .. tasks-1) of the tasks that fired: with `fired`, catches a task that
  // fired twice while another never did.
  std::int64_t fired_id_sum = 0;
  std::int64_t asleep_at_sample = 0;  // tasks that had started sleeping when RSS was sampled
  std::int64_t awake_at_sample = 0;   // tasks that had already woken by then (must be 0)
  std::int64_t rss_delta_bytes = 0;
  // Each task's lateness in ns (LatenessSlots), indexed by task id; negative when it woke
  // before its deadline.
  std::vector<std::int64_t> lateness_ns;
  // Whether this model's timers may fire before the deadline defined above by design: libuv
  // counts a timeout from the loop's cached time, taken before the task armed its timer.
  // corio, Asio and nanosleep count from a clock reading taken at or after the task's own, so
  // check() fails any of their timers that woke early.
  bool may_fire_early = false;
  std::chrono::nanoseconds elapsed{0};  // model start -> the last task woke (its clock_ns())
  // Set when the model could not create every task (threads: the OS refused one).
  std::string error;
};

Result corio(const Params& params);
Result asio(const Params& params);
Result libuv(const Params& params);
Result threads(const Params& params);

// Exact order statistics of the lateness samples (nearest rank: p50 is the smallest sample
// that at least half of them do not exceed), in ns.
struct LatenessSummary {
  std::int64_t p50_ns = 0;
  std::int64_t p99_ns = 0;
  std::int64_t min_ns = 0;
  std::int64_t max_ns = 0;
  std::int64_t early = 0;  // samples below -early_tolerance_ns
};

// Takes the samples by value: it reorders them. Empty samples give all zeros.
inline LatenessSummary summarize(std::vector<std::int64_t> samples,
                                 std::int64_t early_tolerance_ns) {
  LatenessSummary summary;
  if (samples.empty()) return summary;
  const auto nearest_rank = [&samples](double percent) {
    const auto rank =
        static_cast<std::size_t>(std::ceil(percent / 100.0 * static_cast<double>(samples.size())));
    const auto index =
        samples.begin() + static_cast<std::ptrdiff_t>(std::max<std::size_t>(rank, 1) - 1);
    std::nth_element(samples.begin(), index, samples.end());
    return *index;
  };
  summary.p50_ns = nearest_rank(50);
  summary.p99_ns = nearest_rank(99);
  const auto [min, max] = std::minmax_element(samples.begin(), samples.end());
  summary.min_ns = *min;
  summary.max_ns = *max;
  summary.early =
      std::count_if(samples.begin(), samples.end(),
                    [early_tolerance_ns](std::int64_t ns) { return ns < -early_tolerance_ns; });
  return summary;
}

// bytes_per_task by harness/bytes_per_task.hpp's method with MemoryGrowth::rss_after_trim: one
// call per run (iterations()), so both readings are RSS after malloc_trim(0), and the growth is
// RSS's. A corio model passes FramePool::counted.
using MemoryProbe = harness::TaskMemoryProbeOf<harness::MemoryGrowth::rss_after_trim>;

// The same reading for models that read RSS themselves (rss_delta_bytes = settled RSS with the
// tasks alive minus settled RSS before): the same figure as MemoryProbe with FramePool::ignored.
using harness::settled_rss_bytes;

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
    if (std::string error =
            common::first_error(common::check_count(result.fired, params.tasks, "tasks fired"),
                                common::check_id_sum(result.fired_id_sum, params.tasks, "fired"));
        !error.empty()) {
      return error;
    }
    if (result.asleep_at_sample != params.tasks || result.awake_at_sample != 0) {
      return "when memory was sampled " + std::to_string(result.asleep_at_sample) + " of " +
             std::to_string(params.tasks) + " tasks had started sleeping and " +
             std::to_string(result.awake_at_sample) +
             " had woken: creating them took longer than the sleep";
    }
    // libuv counts timeouts from its loop time, truncated to whole milliseconds: a timer
    // may end up to 1 ms before D measured from the model's start.
    if (result.elapsed < params.sleep - std::chrono::milliseconds(2)) {
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(result.elapsed);
      return "all tasks were done after " + std::to_string(ms.count()) + " ms, before the " +
             std::to_string(params.sleep.count()) + " ms sleep could end";
    }
    return check_lateness(params, result);
  }

  // Every task left one lateness sample, each within what the run's own times allow, and, for
  // a model whose timers promise not to, none woke before its deadline.
  static std::string check_lateness(const Params& params, const Result& result) {
    const std::vector<std::int64_t>& lateness = result.lateness_ns;
    if (static_cast<std::int64_t>(lateness.size()) != params.tasks) {
      return std::to_string(lateness.size()) + " lateness samples for " +
             std::to_string(params.tasks) + " tasks";
    }
    // Every deadline is at least start + D and every wake at most the last one, so no
    // lateness exceeds (last wake - start) - D: a slot still holding a deadline (a wake not
    // recorded) or holding garbage (a task recorded twice) is far beyond it.
    const std::int64_t latest_ns = std::chrono::nanoseconds(result.elapsed - params.sleep).count();
    const std::int64_t tolerance_ns = clock_resolution_ns();
    for (std::size_t id = 0; id < lateness.size(); ++id) {
      if (lateness[id] == LatenessSlots::kNotArmed) {
        return "task " + std::to_string(id) + " never armed its timer";
      }
      if (lateness[id] > latest_ns + tolerance_ns) {
        return "task " + std::to_string(id) + "'s lateness is " + std::to_string(lateness[id]) +
               " ns, more than the run's last wake allows (" + std::to_string(latest_ns) +
               " ns): its wake was not recorded, or recorded twice";
      }
      if (!result.may_fire_early && lateness[id] < -tolerance_ns) {
        return "task " + std::to_string(id) + " woke " + std::to_string(-lateness[id]) +
               " ns before its deadline (clock resolution " + std::to_string(tolerance_ns) +
               " ns), and this model's timers promise never to fire early";
      }
    }
    return "";
  }

  // One call per run: bytes_per_task is the figure here, and a second call in the same run
  // would find memory the first one freed still resident in an allocator's cache (corio's
  // frame pool keeps its chunks), so its RSS delta would understate the cost.
  static int iterations(const Params& /*params*/, harness::Profile /*profile*/) { return 1; }

  // No items_per_second: a call waits out D, so N / (wall time) is no rate of anything a
  // timer costs. The figures are the lateness, overshoot_ms and bytes_per_task.
  static double items(const Params& /*params*/) { return 0; }

  static void counters(const Params& params, const Result& result, harness::Counters& counters) {
    counters.set("bytes_per_task", harness::bytes_per_task(result.rss_delta_bytes, params.tasks));
    const LatenessSummary lateness = summarize(result.lateness_ns, clock_resolution_ns());
    counters.set("timer_lateness_p50_us", static_cast<double>(lateness.p50_ns) / 1e3);
    counters.set("timer_lateness_p99_us", static_cast<double>(lateness.p99_ns) / 1e3);
    counters.set("timer_lateness_max_us", static_cast<double>(lateness.max_ns) / 1e3);
    counters.set("timer_lateness_min_us", static_cast<double>(lateness.min_ns) / 1e3);
    counters.set("timers_fired_early", static_cast<double>(lateness.early));
    // Not a timer's lateness: the model's start until its last task woke, minus D, which
    // holds creating the N tasks, the last timer's lateness and resuming the tasks before it.
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

// An asyncio sleeper takes microseconds to create and to fire (a Task, a Future and a
// TimerHandle in the loop's heap, or uvloop's uv_timer_t) and about 1.7 to 2 KB: py_asyncio and
// py_uvloop run 10,000 in quick and 1,000 and 100,000 in full; 1,000,000 would take tens of
// seconds of CPU to create and fire. Creating them all before the first wakes never depends on
// D here: the parent's sleep(0) resumes after every new task's first step, in one loop turn,
// and the loop fires no timer within a turn.
struct PythonWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    using std::chrono::milliseconds;
    if (profile == harness::Profile::quick) return {{10'000, milliseconds(1000)}};
    return {{1'000, milliseconds(3000)}, {100'000, milliseconds(3000)}};
  }
};

// A sleeping goroutine touches about 2.8 KB (its g, a 2 KiB stack, its closure and the timer
// time.Sleep uses), and a first touch of a page costs about 15 us on the loaded 2-core reference
// VM: creating 100,000 sleeping goroutines took 1.1 to 2.5 s there, longer than quick's 1 s
// sleep, so quick runs 10,000, and full stops at 100,000 (1,000,000, 2.8 GB, would take 10 s
// of page faults alone).
struct GoWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    using std::chrono::milliseconds;
    if (profile == harness::Profile::quick) return {{10'000, milliseconds(1000)}};
    return {{1'000, milliseconds(3000)}, {100'000, milliseconds(3000)}};
  }
};

// A sleeping tokio task is about 1.4 KB (its future is 768 bytes aligned to 128: the timer
// entry keeps two fields on cache lines of their own; the task cell is allocated 128-aligned).
// 100,000 are created within quick's 1 s (about 0.5 s on the reference VM), but of 1,000,000
// the last armed its timer 13 s after the first spawn there, so the first timers had expired
// 10 s before the last task was created (its check cannot see that: a woken task waits behind
// the ones still starting). Full stops at 100,000. Quick runs 10,000 only: 100,000 within a
// 1 s sleep came within 0.1 s of failing its check on a loaded VM, and CI runs quick there.
struct TokioWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    using std::chrono::milliseconds;
    if (profile == harness::Profile::quick) return {{10'000, milliseconds(1000)}};
    return {{1'000, milliseconds(3000)}, {100'000, milliseconds(3000)}};
  }
};

}  // namespace workloads::runtime::timers
