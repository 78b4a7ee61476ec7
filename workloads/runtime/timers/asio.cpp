// asio: one io_context run by this thread; each task is a coroutine started with
// co_spawn(detached) that owns a steady_timer and co_awaits its async_wait. A spawner
// coroutine starts all N: co_spawn from the io_context's own thread dispatches, so each task
// runs at once until it waits on its timer, and when the loop ends every timer is armed. The
// tasks count themselves in a plain struct: one thread, no atomics needed.

#include <chrono>
#include <cstdint>
#include <exception>

// GCC 12 reports a "potential null pointer dereference" inside Asio's any_executor comparison
// once it is inlined here; the warning is about Asio's code, not ours.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#pragma GCC diagnostic pop

#include "workloads/runtime/timers/params.hpp"

namespace asio = boost::asio;

namespace workloads::runtime::timers {
namespace {

struct Tally {
  std::int64_t asleep = 0;
  std::int64_t fired = 0;
  std::int64_t fired_id_sum = 0;
};

asio::awaitable<void> sleeper(std::int64_t id, std::chrono::milliseconds sleep, Tally* tally) {
  asio::steady_timer timer(co_await asio::this_coro::executor, sleep);
  ++tally->asleep;
  co_await timer.async_wait(asio::use_awaitable);
  ++tally->fired;
  tally->fired_id_sum += id;
}

asio::awaitable<void> spawn_all(Params params, Tally* tally, Result* result,
                                std::int64_t rss_before) {
  const auto executor = co_await asio::this_coro::executor;
  for (std::int64_t id = 0; id < params.tasks; ++id) {
    asio::co_spawn(executor, sleeper(id, params.sleep, tally), asio::detached);
  }
  result->rss_delta_bytes = harness::current_rss_bytes() - rss_before;
  result->asleep_at_sample = tally->asleep;
  result->awake_at_sample = tally->fired;
}

}  // namespace

Result asio(const Params& params) {
  const std::int64_t rss_before = settled_rss_bytes();
  const auto start = std::chrono::steady_clock::now();

  // UNSAFE hint: only this thread ever touches the io_context, so the scheduler and the
  // reactor need no mutex (the documented single-threaded fast path).
  asio::io_context context{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE};
  Tally tally;
  Result result;
  asio::co_spawn(context, spawn_all(params, &tally, &result, rss_before),
                 [](std::exception_ptr error) {
                   if (error) std::rethrow_exception(error);
                 });
  context.run();  // returns once the last timer fired and its coroutine ended

  result.elapsed = std::chrono::steady_clock::now() - start;
  result.fired = tally.fired;
  result.fired_id_sum = tally.fired_id_sum;
  return result;
}

}  // namespace workloads::runtime::timers
