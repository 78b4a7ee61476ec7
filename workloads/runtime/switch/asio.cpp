// asio: one io_context on this thread, two coroutines started with co_spawn. via:yield: each
// step ends in co_await post(executor, use_awaitable), which queues the coroutine behind the
// other one (Asio's sleep(0)). via:event: two channels of capacity 1 play the two events; a
// task wakes the other with try_send (never waits: the slot is free, its last message has been
// received) and waits with async_receive; a receiver already waiting gets the message handed
// over and its completion posted. Channels, not steady_timers cancelled as condition
// variables: a timer wait re-arms the reactor's timerfd (a system call) every time.
// As in every Asio model here: the UNSAFE concurrency hint (one thread, no scheduler mutex)
// and the concrete io_context executor instead of the type-erased any_io_executor.
#include "workloads/common/asio.hpp"

#include <cstdint>

// Asio's other headers after common/asio.hpp: see its note on GCC's -Wnull-dereference.
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/post.hpp>

#include "workloads/runtime/switch/params.hpp"

namespace asio = boost::asio;

namespace workloads::runtime::switch_ {
namespace {

using common::Awaitable;
using common::Executor;
using common::rethrow_if_failed;
using common::use_awaitable;
using Signal = asio::experimental::channel<Executor, void(boost::system::error_code)>;

Awaitable<void> yielder(int task, std::int64_t steps, Tally* tally) {
  const Executor executor = co_await asio::this_coro::executor;
  for (std::int64_t i = 0; i < steps; ++i) {
    tally->step(task);
    co_await asio::post(executor, use_awaitable);
  }
}

// A: step, wake B, wait for B. B: wait for A, step, wake A.
Awaitable<void> pinger(std::int64_t steps, Signal* wake_b, Signal* wake_a, Tally* tally) {
  for (std::int64_t i = 0; i < steps; ++i) {
    tally->step(0);
    wake_b->try_send(boost::system::error_code{});
    co_await wake_a->async_receive(use_awaitable);
  }
}

Awaitable<void> ponger(std::int64_t steps, Signal* wake_b, Signal* wake_a, Tally* tally) {
  for (std::int64_t i = 0; i < steps; ++i) {
    co_await wake_b->async_receive(use_awaitable);
    tally->step(1);
    wake_a->try_send(boost::system::error_code{});
  }
}

}  // namespace

Result asio(const Params& params) {
  Tally tally;
  const std::int64_t steps = params.switches / 2;
  asio::io_context context{common::kSingleThreadHint};
  const Executor executor = context.get_executor();
  Signal wake_a{executor, 1};
  Signal wake_b{executor, 1};
  if (params.via == Via::yield) {
    asio::co_spawn(executor, yielder(0, steps, &tally), rethrow_if_failed);
    asio::co_spawn(executor, yielder(1, steps, &tally), rethrow_if_failed);
  } else {
    asio::co_spawn(executor, pinger(steps, &wake_b, &wake_a, &tally), rethrow_if_failed);
    asio::co_spawn(executor, ponger(steps, &wake_b, &wake_a, &tally), rethrow_if_failed);
  }
  context.run();
  return tally.result;
}

}  // namespace workloads::runtime::switch_
