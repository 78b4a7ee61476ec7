#pragma once
// io/sleep_fanout: the seed's fetch_data. N tasks each wait D ms (a sleep standing for an I/O
// wait: a slow API, a database round trip); the run ends when all N are done. A model that
// overlaps the waits finishes in about D whatever N; one that waits one at a time needs N·D.
//
//   Params              tasks, delay
//   Result              which tasks completed, memory and time the model observed
//   MemoryProbe         bytes_per_task's growth (harness/bytes_per_task.hpp, rss_or_heap)
//   Workload            points, label, check, items, counters for harness::register_model
//   SequentialWorkload, ThreadsWorkload, ThreadPoolWorkload, ProcessesWorkload
//                       the same, with the task counts each of those models can hold here
//   PythonAsyncWorkload, PythonThreadsWorkload, PythonProcessesWorkload
//                       the same for the Python models (py_*.py, json.hpp), sized for CPython
//
// Counters: overlap (N·D / wall: how many waits were in progress at once, on average),
// bytes_per_task (memory the model took to hold its N tasks once every one had begun its
// wait, over N: harness/bytes_per_task.hpp; see MemoryProbe, and the README for what each
// model's figure covers; not reported by a model with tasks still queued, sequential and
// corio_mt),
// bytes_per_queued_task (thread_pool only: malloc growth for its N submitted closures, over
// N), and the harness's peak_rss_bytes. The real time is the wall time of N waits.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/bytes_per_task.hpp"
#include "harness/workload.hpp"
#include "workloads/common/checks.hpp"

namespace workloads::io::sleep_fanout {

struct Params {
  std::int64_t tasks = 0;
  std::chrono::milliseconds delay{0};
};

struct Result {
  std::int64_t completed = 0;  // tasks whose wait ended
  // Sum of the ids (0 .. tasks-1) of the tasks that completed: with `completed`, catches a
  // task that completed twice while another never did.
  std::int64_t completed_id_sum = 0;
  // Memory taken to hold the waiting tasks (MemoryProbe::grown_bytes at the moment the last
  // task started waiting); -1 when the model has no moment when all N wait (sequential, or
  // the first tasks had ended before the last one started), keeps tasks queued rather than
  // waiting (thread_pool), or cannot tell (corio_mt).
  std::int64_t memory_bytes = -1;
  // Tasks submitted but not yet in their wait when memory was sampled (closures in a pool's
  // queue). bytes_per_task divides by N waiting tasks, so check() refuses a memory_bytes
  // sampled while any was queued.
  std::int64_t queued_at_sample = 0;
  // thread_pool: growth of malloc's bytes in use while its N closures were submitted (queued
  // or taken by a worker), sampled before any finished; -1 for every other model, or when one
  // had finished.
  std::int64_t queued_closure_bytes = -1;
  std::chrono::nanoseconds elapsed{0};  // model entry -> every task done and cleaned up
  // Set when the model could not run every task: the OS refused a thread or a process, a
  // child process crashed.
  std::string error;
};

Result sequential(const Params& params);
Result corio(const Params& params);
Result corio_mt(const Params& params);
Result threads(const Params& params);
Result thread_pool(const Params& params);
Result processes(const Params& params);
// Starts the processes model's fork server now, so that no timed call pays for it; a failure
// is left for the model's first call to report.
void start_fork_server() noexcept;
Result asio(const Params& params);
Result asio_mt(const Params& params);
Result libuv(const Params& params);

// bytes_per_task by harness/bytes_per_task.hpp's method with MemoryGrowth::rss_or_heap: a model
// is called many times per run, inside the timed loop, so no trim, and the larger of RSS
// growth and malloc's growth in bytes in use (a second call reuses what the first freed
// without growing RSS; thread stacks are not malloc's). The corio model passes
// FramePool::counted. The processes model measures its children itself (processes.cpp).
using MemoryProbe = harness::TaskMemoryProbeOf<harness::MemoryGrowth::rss_or_heap>;

struct Workload {
  using Params = sleep_fanout::Params;
  using Result = sleep_fanout::Result;

  static constexpr std::string_view name = "io/sleep_fanout";

  // D = 10 ms, N from 1 to 100,000: the quick profile's budget is 20 s for every model and
  // point; the full profile adds D = 100 ms, where the fixed costs of creating and ending N
  // tasks weigh ten times less against D.
  static std::vector<Params> points(harness::Profile profile) {
    return points_up_to(profile, {.quick = kMaxTasks, .full = kMaxTasks, .full_long = kMaxTasks});
  }

  static std::string label(const Params& params) {
    return "tasks:" + std::to_string(params.tasks) +
           "/delay_ms:" + std::to_string(params.delay.count());
  }

  static std::string check(const Params& params, const Result& result) {
    if (!result.error.empty()) return result.error;
    if (std::string error = common::first_error(
            common::check_count(result.completed, params.tasks, "tasks completed"),
            common::check_id_sum(result.completed_id_sum, params.tasks, "completed"));
        !error.empty()) {
      return error;
    }
    if (result.memory_bytes >= 0 && result.queued_at_sample != 0) {
      return "memory was sampled with " + std::to_string(result.queued_at_sample) + " of " +
             std::to_string(params.tasks) +
             " tasks still queued, not waiting: bytes_per_task would spread the memory of the "
             "waiting few over all N";
    }
    // libuv counts timeouts from its loop time, whole milliseconds truncated from the clock
    // when the loop started: a timer may end up to 1 ms before D measured from the model's
    // entry. Every other model waits at least D.
    if (result.elapsed < params.delay - std::chrono::milliseconds(1)) {
      const std::chrono::duration<double, std::milli> ms = result.elapsed;
      return "all tasks were done after " + std::to_string(ms.count()) + " ms, before the " +
             std::to_string(params.delay.count()) + " ms wait could end";
    }
    return "";
  }

  static double items(const Params& params) { return static_cast<double>(params.tasks); }

  static void counters(const Params& params, const Result& result, harness::Counters& counters) {
    const std::chrono::duration<double, std::milli> wall = result.elapsed;
    counters.set("overlap", static_cast<double>(params.tasks) *
                                static_cast<double>(params.delay.count()) / wall.count());
    if (result.memory_bytes >= 0) {
      counters.set("bytes_per_task", harness::bytes_per_task(result.memory_bytes, params.tasks));
    }
    if (result.queued_closure_bytes >= 0) {
      counters.set("bytes_per_queued_task",
                   harness::bytes_per_task(result.queued_closure_bytes, params.tasks));
    }
  }

 protected:
  static constexpr std::int64_t kMaxTasks = 100'000;

  // The most tasks a model runs in the quick profile, in the full profile at D = 10 ms, and
  // in the full profile at D = 100 ms.
  struct Caps {
    std::int64_t quick;
    std::int64_t full;
    std::int64_t full_long;
  };

  static std::vector<Params> points_up_to(harness::Profile profile, Caps caps) {
    using std::chrono::milliseconds;
    constexpr std::int64_t kTaskCounts[] = {1, 10, 100, 1'000, 10'000, 100'000};
    std::vector<Params> points;
    const std::int64_t cap = profile == harness::Profile::quick ? caps.quick : caps.full;
    for (const std::int64_t tasks : kTaskCounts) {
      if (tasks <= cap) points.push_back({tasks, milliseconds(10)});
    }
    if (profile == harness::Profile::full) {
      for (const std::int64_t tasks : {std::int64_t{1}, std::int64_t{100}, std::int64_t{10'000}}) {
        if (tasks <= caps.full_long) points.push_back({tasks, milliseconds(100)});
      }
    }
    return points;
  }
};

// One wait after another takes N·D: at most 1 s per call (100 waits of 10 ms, 10 of 100 ms),
// 100 ms in the quick profile.
struct SequentialWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    return points_up_to(profile, {.quick = 10, .full = 100, .full_long = 10});
  }
};

// A thread per task. Each thread's stack mapping and guard page count against
// vm.max_map_count (65530 here: about 30,000 threads), and ulimit -u and kernel.threads-max
// apply too; creating 10,000 threads took 0.6 to 1.5 s on the 2-core reference VM
// (runtime/timers), so threads stop at 10,000, and at 1,000 in the quick profile.
struct ThreadsWorkload : Workload {
  static constexpr std::int64_t kMaxThreads = 10'000;
  static std::vector<Params> points(harness::Profile profile) {
    return points_up_to(profile, {.quick = 1'000, .full = kMaxThreads, .full_long = kMaxThreads});
  }
};

// A fixed pool of P = min(32, cores + 4) threads (Python's ThreadPoolExecutor default) runs
// the blocking waits: ceil(N / P)·D, 1.7 s for 1,000 waits of 10 ms on 2 cores, so the pool
// stops at 1,000 tasks (100 at D = 100 ms and in the quick profile).
struct ThreadPoolWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    return points_up_to(profile, {.quick = 100, .full = 1'000, .full_long = 100});
  }
};

// A process per task, forked by a fork server (fork_server.hpp). Every child is a kernel
// task with its own page tables; forking 1,000 took 0.3 s on the 2-core reference VM, so
// processes stop at 1,000 (kernel.pid_max is 32768 here), and at 100 in the quick profile.
struct ProcessesWorkload : Workload {
  static constexpr std::int64_t kMaxProcesses = 1'000;
  static std::vector<Params> points(harness::Profile profile) {
    return points_up_to(profile, {.quick = 100, .full = kMaxProcesses, .full_long = kMaxProcesses});
  }
  // Untimed, before each run (harness/workload.hpp): the fork server starts once, lazily.
  static void setup() { start_fork_server(); }
};

// The Python models (py_*.py): CPython pays microseconds where C++ pays nanoseconds, so each
// stops where one call stays near or under 2 s (figures: the 2-core reference VM, load 6-12).
//   py_asyncio, py_uvloop: 10,000 tasks take 160-290 ms (about 20 us of CPU per task from
//     creation to end); 100,000 took 3.3 s of CPU, the cyclic GC's passes walking every live
//     task. So 10,000 at both delays, in quick too.
//   py_threads: Thread.start() waits until the new thread runs, about 0.4 ms of CPU a thread:
//     1,000 threads take 230-510 ms, 10,000 took 4 s of CPU. So 1,000 (100 in quick).
//   py_processes: a multiprocessing.Process per task costs 20-25 ms here from start to reaped
//     (fork, the parent's copy-on-write faults, the child's exit), so 100 children take 2.2-2.6
//     s at D = 10 ms (1.7-4 s at 100 ms: kept, as only there do some waits overlap). 100 in
//     full, 10 in quick.
struct PythonAsyncWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    return points_up_to(profile, {.quick = 10'000, .full = 10'000, .full_long = 10'000});
  }
};

struct PythonThreadsWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    return points_up_to(profile, {.quick = 100, .full = 1'000, .full_long = 1'000});
  }
};

// Not ProcessesWorkload: that one's setup() starts the C++ model's fork server.
struct PythonProcessesWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    return points_up_to(profile, {.quick = 10, .full = 100, .full_long = 100});
  }
};

}  // namespace workloads::io::sleep_fanout
