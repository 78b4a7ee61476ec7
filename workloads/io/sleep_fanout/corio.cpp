// corio: asyncio's fetch_data, one to one. One loop on this thread (corio::run); each task is
// a coroutine that co_awaits corio::sleep(D) and returns its id (the "data"); the N tasks are
// awaited with corio::gather, as `await asyncio.gather(*(fetch_data(i) for i in range(n)))`.
// gather starts each child at once, in order, until its first suspension, so when the last
// child starts all N are waiting: that child samples memory before its own wait. The timer
// node lives in the sleeping frame, so a waiting task is its frame plus gather's bookkeeping
// for it. One thread: the tasks count themselves in a plain struct.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

#include <corio/corio.hpp>

#include "workloads/io/sleep_fanout/params.hpp"

namespace workloads::io::sleep_fanout {
namespace {

struct Tally {
  std::int64_t tasks = 0;
  std::int64_t started = 0;
  std::int64_t completed = 0;
  std::int64_t memory_bytes = -1;
  // Counts what this call took from corio's frame pool (FramePool::counted): frames an
  // earlier call freed, which a fresh process would have had to get from the OS.
  const MemoryProbe* probe = nullptr;
};

corio::Task<std::int64_t> fetch_data(std::int64_t id, std::chrono::milliseconds delay,
                                     Tally* tally) {
  if (++tally->started == tally->tasks) {
    tally->memory_bytes = tally->probe->grown_bytes();  // the others already wait
  }
  co_await corio::sleep(delay);
  ++tally->completed;
  co_return id;
}

corio::Task<std::int64_t> fetch_all(Params params, Tally* tally) {
  std::vector<corio::Task<std::int64_t>> fetches;
  fetches.reserve(static_cast<std::size_t>(params.tasks));
  for (std::int64_t id = 0; id < params.tasks; ++id) {
    fetches.push_back(fetch_data(id, params.delay, tally));
  }
  const std::vector<std::int64_t> ids = co_await corio::gather(std::move(fetches));
  co_return std::accumulate(ids.begin(), ids.end(), std::int64_t{0});
}

}  // namespace

Result corio(const Params& params) {
  const auto start = std::chrono::steady_clock::now();
  const MemoryProbe probe(harness::FramePool::counted);

  Tally tally{.tasks = params.tasks, .probe = &probe};
  Result result;
  result.completed_id_sum = corio::run(fetch_all(params, &tally));
  result.elapsed = std::chrono::steady_clock::now() - start;
  result.completed = tally.completed;
  result.memory_bytes = tally.memory_bytes;
  return result;
}

}  // namespace workloads::io::sleep_fanout
