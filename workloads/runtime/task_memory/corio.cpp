// corio: one loop on this thread (corio::run); each idle task is a coroutine waiting on one
// shared corio::Event (asyncio.Event), spawned into a corio::TaskGroup; the release is
// event.set(), then group.join(). spawn() only schedules; a yield_now() after the spawns lets
// every task run until it waits (the ready queue is FIFO), and then RSS is sampled. The
// wait node lives in the waiting frame, so an idle task is its frame plus its spawn
// bookkeeping. The Event lives in the spawning frame, which outlives every child (join).

#include <chrono>
#include <cstddef>
#include <cstdint>

#include <corio/corio.hpp>

#include "workloads/runtime/task_memory/params.hpp"

namespace workloads::runtime::task_memory {
namespace {

struct Tally {
  std::int64_t waiting = 0;
  std::int64_t finished = 0;
};

corio::Task<> idle_task(corio::Event* release, Tally* tally) {
  ++tally->waiting;
  co_await release->wait();
  ++tally->finished;
}

corio::Task<> wait_all(std::int64_t tasks, Tally* tally, Result* result, std::int64_t rss_before,
                       std::size_t pool_free_before) {
  corio::Event release;
  corio::TaskGroup group;
  const auto creating = std::chrono::steady_clock::now();
  for (std::int64_t i = 0; i < tasks; ++i) group.spawn(idle_task(&release, tally));
  co_await corio::yield_now();  // every spawned task runs first, up to its wait
  result->creation = std::chrono::steady_clock::now() - creating;
  // Frames recycled from the pool (left by an earlier run in this process) do not grow RSS; a
  // fresh process would have had to get them from the OS, so they count too.
  const auto pool_taken = static_cast<std::int64_t>(pool_free_before) -
                          static_cast<std::int64_t>(corio::detail::frame_pool_free_bytes());
  result->rss_delta_bytes = harness::current_rss_bytes() - rss_before + pool_taken;
  result->waiting_at_sample = tally->waiting;
  result->finished_at_sample = tally->finished;
  release.set();
  co_await group.join();
}

}  // namespace

Result corio(const Params& params) {
  const std::size_t pool_free_before = corio::detail::frame_pool_free_bytes();
  const std::int64_t rss_before = settled_rss_bytes();
  Tally tally;
  Result result;
  corio::run(wait_all(params.tasks, &tally, &result, rss_before, pool_free_before));
  result.finished = tally.finished;
  return result;
}

}  // namespace workloads::runtime::task_memory
