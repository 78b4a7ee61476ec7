// corio: one loop on this thread (corio::run); each task is a coroutine that co_awaits
// corio::sleep(D), spawned into a corio::TaskGroup and joined with group.join(): asyncio's
// TaskGroup idiom for "start N, wait for all". spawn() only schedules; a yield_now() after the
// spawns lets every task run until it sleeps (the ready queue is FIFO), and then RSS is
// sampled. The timer node lives in the sleeping frame, so a sleeping task is its frame plus
// its spawn bookkeeping. One thread: the tasks count themselves in a plain struct.

#include <chrono>
#include <cstddef>
#include <cstdint>

#include <corio/corio.hpp>

#include "workloads/runtime/timers/params.hpp"

namespace workloads::runtime::timers {
namespace {

struct Tally {
  std::int64_t asleep = 0;
  std::int64_t fired = 0;
  std::int64_t fired_id_sum = 0;
};

corio::Task<> sleeper(std::int64_t id, std::chrono::milliseconds sleep, Tally* tally) {
  ++tally->asleep;
  co_await corio::sleep(sleep);
  ++tally->fired;
  tally->fired_id_sum += id;
}

corio::Task<> sleep_all(Params params, Tally* tally, Result* result, std::int64_t rss_before,
                        std::size_t pool_free_before) {
  corio::TaskGroup group;
  for (std::int64_t id = 0; id < params.tasks; ++id) group.spawn(sleeper(id, params.sleep, tally));
  co_await corio::yield_now();  // every spawned task runs first, up to its sleep
  // Frames recycled from the pool (left by an earlier run in this process) do not grow RSS; a
  // fresh process would have had to get them from the OS, so they count too.
  const auto pool_taken = static_cast<std::int64_t>(pool_free_before) -
                          static_cast<std::int64_t>(corio::detail::frame_pool_free_bytes());
  result->rss_delta_bytes = harness::current_rss_bytes() - rss_before + pool_taken;
  result->asleep_at_sample = tally->asleep;
  result->awake_at_sample = tally->fired;
  co_await group.join();
}

}  // namespace

Result corio(const Params& params) {
  const std::size_t pool_free_before = corio::detail::frame_pool_free_bytes();
  const std::int64_t rss_before = settled_rss_bytes();
  const auto start = std::chrono::steady_clock::now();

  Tally tally;
  Result result;
  corio::run(sleep_all(params, &tally, &result, rss_before, pool_free_before));

  result.elapsed = std::chrono::steady_clock::now() - start;
  result.fired = tally.fired;
  result.fired_id_sum = tally.fired_id_sum;
  return result;
}

}  // namespace workloads::runtime::timers
