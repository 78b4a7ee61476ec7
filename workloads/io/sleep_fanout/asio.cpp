// asio: one io_context run by this thread; each task is a C++20 coroutine started with
// co_spawn(detached) that owns a steady_timer and co_awaits its async_wait(use_awaitable).
// A spawner coroutine starts all N: co_spawn from the io_context's own thread dispatches, so
// each task runs at once until it waits on its timer, and after the spawner's loop all N
// wait: it samples memory then. io_context::run() returns when the last task has ended (no
// work left), Asio's way of "wait for all". One thread: plain counters.

#include "workloads/common/asio.hpp"

#include <chrono>
#include <cstdint>

// Asio's other headers after common/asio.hpp: see its note on GCC's -Wnull-dereference.
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>

#include "workloads/io/sleep_fanout/params.hpp"

namespace asio = boost::asio;

namespace workloads::io::sleep_fanout {
namespace {

struct Tally {
  std::int64_t completed = 0;
  std::int64_t completed_id_sum = 0;
};

asio::awaitable<void> fetch_data(std::int64_t id, std::chrono::milliseconds delay, Tally* tally) {
  asio::steady_timer timer(co_await asio::this_coro::executor, delay);
  co_await timer.async_wait(asio::use_awaitable);
  ++tally->completed;
  tally->completed_id_sum += id;
}

asio::awaitable<void> fetch_all(Params params, Tally* tally, const MemoryProbe* probe,
                                std::int64_t* memory_bytes) {
  const auto executor = co_await asio::this_coro::executor;
  for (std::int64_t id = 0; id < params.tasks; ++id) {
    asio::co_spawn(executor, fetch_data(id, params.delay, tally), asio::detached);
  }
  *memory_bytes = probe->grown_bytes();
}

}  // namespace

Result asio(const Params& params) {
  const auto start = std::chrono::steady_clock::now();
  const MemoryProbe probe;

  asio::io_context context{common::kSingleThreadHint};
  Tally tally;
  Result result;
  common::run_to_completion(context, fetch_all(params, &tally, &probe, &result.memory_bytes));

  result.elapsed = std::chrono::steady_clock::now() - start;
  result.completed = tally.completed;
  result.completed_id_sum = tally.completed_id_sum;
  return result;
}

}  // namespace workloads::io::sleep_fanout
