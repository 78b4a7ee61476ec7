// asio: one io_context run by this thread; each task is a coroutine started with
// co_spawn(detached) that owns a steady_timer and co_awaits its async_wait. A spawner
// coroutine starts all N: co_spawn from the io_context's own thread dispatches, so each task
// runs at once until it waits on its timer, and when the loop ends every timer is armed. The
// tasks count themselves in a plain struct: one thread, no atomics needed.
//
// Lateness: a task takes its deadline (clock + D) right before it constructs its timer with
// D, which reads the clock again and sets the expiry from that later reading (co_await
// this_coro::executor between the two does not suspend); the timer fires once the clock has
// passed its expiry, so no task may wake early.

#include "workloads/common/asio.hpp"

#include <chrono>
#include <cstdint>

// Asio's other headers after common/asio.hpp: see its note on GCC's -Wnull-dereference.
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>

#include "workloads/runtime/timers/params.hpp"

namespace asio = boost::asio;

namespace workloads::runtime::timers {
namespace {

struct Tally {
  LatenessSlots* lateness = nullptr;
  std::int64_t asleep = 0;
  std::int64_t fired = 0;
  std::int64_t fired_id_sum = 0;
  std::int64_t last_wake_ns = 0;
};

asio::awaitable<void> sleeper(std::int64_t id, std::chrono::milliseconds sleep, Tally* tally) {
  // The executor stays a temporary: a named one would live in every sleeping frame.
  tally->lateness->arm(id, sleep);
  asio::steady_timer timer(co_await asio::this_coro::executor, sleep);
  ++tally->asleep;
  co_await timer.async_wait(asio::use_awaitable);
  tally->last_wake_ns = tally->lateness->wake(id);  // one thread: wakes come in clock order
  ++tally->fired;
  tally->fired_id_sum += id;
}

asio::awaitable<void> spawn_all(Params params, Tally* tally, Result* result,
                                std::int64_t rss_before) {
  const auto executor = co_await asio::this_coro::executor;
  for (std::int64_t id = 0; id < params.tasks; ++id) {
    asio::co_spawn(executor, sleeper(id, params.sleep, tally), asio::detached);
  }
  result->rss_delta_bytes = settled_rss_bytes() - rss_before;
  result->asleep_at_sample = tally->asleep;
  result->awake_at_sample = tally->fired;
}

}  // namespace

Result asio(const Params& params) {
  LatenessSlots lateness(params.tasks);  // before the RSS baseline: not the tasks' memory
  const std::int64_t rss_before = settled_rss_bytes();
  const std::int64_t start_ns = clock_ns();

  asio::io_context context{common::kSingleThreadHint};
  Tally tally{.lateness = &lateness};
  Result result;
  // Returns once the last timer fired and its coroutine ended.
  common::run_to_completion(context, spawn_all(params, &tally, &result, rss_before));

  result.elapsed = std::chrono::nanoseconds(tally.last_wake_ns - start_ns);
  result.fired = tally.fired;
  result.fired_id_sum = tally.fired_id_sum;
  result.lateness_ns = lateness.take();
  return result;
}

}  // namespace workloads::runtime::timers
