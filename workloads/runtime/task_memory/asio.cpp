// asio: one io_context run by this thread; each task is a coroutine started with
// co_spawn(detached) that waits on one shared steady_timer set to expire never, and the
// release is that timer's cancel(), which completes every pending wait with
// operation_aborted: Asio's idiom for an event that many coroutines wait on. So an idle task
// costs its coroutine frames and one pending wait operation, nothing else. A spawner
// coroutine starts all N: co_spawn from the io_context's own thread dispatches, so each task
// runs at once until it waits, and RSS is sampled when the last has started waiting.

#include "workloads/common/asio.hpp"

#include <chrono>
#include <cstdint>

// Asio's other headers after common/asio.hpp: see its note on GCC's -Wnull-dereference.
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>

#include "workloads/runtime/task_memory/params.hpp"

namespace asio = boost::asio;

namespace workloads::runtime::task_memory {
namespace {

struct Tally {
  std::int64_t waiting = 0;
  std::int64_t finished = 0;
};

asio::awaitable<void> idle_task(asio::steady_timer* release, Tally* tally) {
  ++tally->waiting;
  boost::system::error_code ec;  // operation_aborted: the release
  co_await release->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  ++tally->finished;
}

asio::awaitable<void> spawn_all(std::int64_t tasks, asio::steady_timer* release, Tally* tally,
                                Result* result, std::int64_t rss_before) {
  const auto executor = co_await asio::this_coro::executor;
  const auto creating = std::chrono::steady_clock::now();
  for (std::int64_t i = 0; i < tasks; ++i) {
    asio::co_spawn(executor, idle_task(release, tally), asio::detached);
  }
  result->creation = std::chrono::steady_clock::now() - creating;  // each ran up to its wait
  result->rss_delta_bytes = settled_rss_bytes() - rss_before;
  result->waiting_at_sample = tally->waiting;
  result->finished_at_sample = tally->finished;
  release->cancel();
}

}  // namespace

Result asio(const Params& params) {
  const std::int64_t rss_before = settled_rss_bytes();

  asio::io_context context{common::kSingleThreadHint};
  asio::steady_timer release(context, asio::steady_timer::time_point::max());
  Tally tally;
  Result result;
  // Returns once every task has finished.
  common::run_to_completion(context,
                            spawn_all(params.tasks, &release, &tally, &result, rss_before));

  result.finished = tally.finished;
  return result;
}

}  // namespace workloads::runtime::task_memory
