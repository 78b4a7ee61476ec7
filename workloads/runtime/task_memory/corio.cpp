// corio: one loop on this thread (corio::run); each idle task is a coroutine waiting on one
// shared corio::Event (asyncio.Event), spawned into a corio::TaskGroup; the release is
// event.set(), then group.join(). spawn() only schedules; a yield_now() after the spawns lets
// every task run until it waits (the ready queue is FIFO), and then RSS is sampled. The
// wait node lives in the waiting frame, so an idle task is its frame plus its spawn
// bookkeeping. The Event lives in the spawning frame, which outlives every child (join).

#include <chrono>
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

corio::Task<> wait_all(std::int64_t tasks, Tally* tally, Result* result,
                       const MemoryProbe* memory) {
  corio::Event release;
  corio::TaskGroup group;
  const auto creating = std::chrono::steady_clock::now();
  for (std::int64_t i = 0; i < tasks; ++i) group.spawn(idle_task(&release, tally));
  co_await corio::yield_now();  // every spawned task runs first, up to its wait
  result->creation = std::chrono::steady_clock::now() - creating;
  // Frames recycled from the pool (left by an earlier run in this process) count too
  // (FramePool::counted).
  result->rss_delta_bytes = memory->grown_bytes();
  result->waiting_at_sample = tally->waiting;
  result->finished_at_sample = tally->finished;
  release.set();
  co_await group.join();
}

}  // namespace

Result corio(const Params& params) {
  const MemoryProbe memory(harness::FramePool::counted);
  Tally tally;
  Result result;
  corio::run(wait_all(params.tasks, &tally, &result, &memory));
  result.finished = tally.finished;
  return result;
}

}  // namespace workloads::runtime::task_memory
