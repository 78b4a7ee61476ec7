// asio_mt: one io_context run by as many threads as cores (this thread and cores - 1 more),
// Asio's thread-pool layout. The tasks are the asio model's: co_spawn(detached) coroutines
// each awaiting its own steady_timer. No strand: a task touches only its own timer and the
// shared counters, which are atomics. A spawner coroutine starts all N and samples memory
// unless a task has already ended on another thread (then no moment had all N waiting). run()
// returns on every thread when the last task has ended; an exception escaping a coroutine is kept
// and reported, not allowed to end a thread.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <mutex>
#include <string>
#include <thread>

#include "workloads/common/asio.hpp"

// Asio's other headers after common/asio.hpp: see its note on GCC's -Wnull-dereference.
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>

#include "workloads/io/sleep_fanout/params.hpp"

namespace asio = boost::asio;

namespace workloads::io::sleep_fanout {
namespace {

struct Tally {
  // Relaxed: the threads' return from run() (joined below) orders every count before the read.
  std::atomic<std::int64_t> completed{0};
  std::atomic<std::int64_t> completed_id_sum{0};
};

asio::awaitable<void> fetch_data(std::int64_t id, std::chrono::milliseconds delay, Tally* tally) {
  asio::steady_timer timer(co_await asio::this_coro::executor, delay);
  co_await timer.async_wait(asio::use_awaitable);
  tally->completed.fetch_add(1, std::memory_order_relaxed);
  tally->completed_id_sum.fetch_add(id, std::memory_order_relaxed);
}

asio::awaitable<void> fetch_all(Params params, Tally* tally, const MemoryProbe* probe,
                                std::int64_t* memory_bytes) {
  const auto executor = co_await asio::this_coro::executor;
  for (std::int64_t id = 0; id < params.tasks; ++id) {
    asio::co_spawn(executor, fetch_data(id, params.delay, tally), asio::detached);
  }
  // Another thread may have run tasks to their end meanwhile (creating 100,000 takes longer
  // than D) and their memory been reused: the figure would not be that of N waiting tasks.
  if (tally->completed.load(std::memory_order_relaxed) == 0) *memory_bytes = probe->grown_bytes();
}

std::string exception_text(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception not derived from std::exception";
  }
}

}  // namespace

Result asio_mt(const Params& params) {
  const auto start = std::chrono::steady_clock::now();
  const MemoryProbe probe;

  const int threads = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  asio::io_context context{threads};
  Tally tally;
  Result result;
  std::mutex error_mutex;
  std::exception_ptr spawner_error;
  // Written by the spawner on whichever thread runs it; read after the joins.
  std::int64_t memory_bytes = -1;
  asio::co_spawn(context, fetch_all(params, &tally, &probe, &memory_bytes),
                 [&error_mutex, &spawner_error](const std::exception_ptr& error) {
                   const std::lock_guard lock(error_mutex);
                   spawner_error = error;
                 });

  common::run_on_threads(context, threads, &result.error);

  result.elapsed = std::chrono::steady_clock::now() - start;
  if (spawner_error && result.error.empty()) result.error = exception_text(spawner_error);
  result.memory_bytes = memory_bytes;
  result.completed = tally.completed.load(std::memory_order_relaxed);
  result.completed_id_sum = tally.completed_id_sum.load(std::memory_order_relaxed);
  return result;
}

}  // namespace workloads::io::sleep_fanout
