// corio: one loop on this thread (corio::run); each task is a coroutine that co_awaits
// corio::sleep(D), spawned into a corio::TaskGroup and joined with group.join(): asyncio's
// TaskGroup idiom for "start N, wait for all". spawn() only schedules; a yield_now() after the
// spawns lets every task run until it sleeps (the ready queue is FIFO), and then RSS is
// sampled. The timer node lives in the sleeping frame, so a sleeping task is its frame plus
// its spawn bookkeeping. One thread: the tasks count themselves in a plain struct.
//
// Lateness: a task takes its deadline (clock + D) right before co_await corio::sleep(D);
// corio counts D from a clock reading taken after the chunk of (at most 16) resumes that
// started the sleep (runtime/include/corio/sleep.hpp), never earlier, so no task may wake early.

#include <chrono>
#include <cstdint>

#include <corio/corio.hpp>

#include "workloads/runtime/timers/params.hpp"

namespace workloads::runtime::timers {
namespace {

struct Tally {
  LatenessSlots* lateness = nullptr;
  std::int64_t asleep = 0;
  std::int64_t fired = 0;
  std::int64_t fired_id_sum = 0;
  std::int64_t last_wake_ns = 0;
};

corio::Task<> sleeper(std::int64_t id, std::chrono::milliseconds sleep, Tally* tally) {
  ++tally->asleep;
  tally->lateness->arm(id, sleep);
  co_await corio::sleep(sleep);
  tally->last_wake_ns = tally->lateness->wake(id);  // one thread: wakes come in clock order
  ++tally->fired;
  tally->fired_id_sum += id;
}

corio::Task<> sleep_all(Params params, Tally* tally, Result* result, const MemoryProbe* memory) {
  corio::TaskGroup group;
  for (std::int64_t id = 0; id < params.tasks; ++id) group.spawn(sleeper(id, params.sleep, tally));
  co_await corio::yield_now();  // every spawned task runs first, up to its sleep
  // Frames recycled from the pool (left by an earlier run in this process) count too
  // (FramePool::counted).
  result->rss_delta_bytes = memory->grown_bytes();
  result->asleep_at_sample = tally->asleep;
  result->awake_at_sample = tally->fired;
  co_await group.join();
}

}  // namespace

Result corio(const Params& params) {
  LatenessSlots lateness(params.tasks);  // before the RSS baseline: not the tasks' memory
  const MemoryProbe memory(harness::FramePool::counted);
  const std::int64_t start_ns = clock_ns();

  Tally tally{.lateness = &lateness};
  Result result;
  corio::run(sleep_all(params, &tally, &result, &memory));

  result.elapsed = std::chrono::nanoseconds(tally.last_wake_ns - start_ns);
  result.fired = tally.fired;
  result.fired_id_sum = tally.fired_id_sum;
  result.lateness_ns = lateness.take();
  return result;
}

}  // namespace workloads::runtime::timers
