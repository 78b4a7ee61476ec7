// asio: one io_context on this thread, C++20 awaitables. The parent coroutine spawns each child
// with co_spawn(ex, child(i), use_awaitable) and awaits it, which is Asio's spawn+join: a new
// awaitable thread whose frames come from Asio's per-thread recycling allocator, started by a
// post and completed back into the parent by another. Two fast paths an Asio expert takes on
// one thread: the io_context gets the UNSAFE concurrency hint (only this thread touches it, so
// the scheduler takes no mutex), and the coroutines name the concrete io_context executor
// instead of the type-erased any_io_executor (measured: about a third less time per spawn).
#include "workloads/common/asio.hpp"

#include <cstdint>

#include "workloads/runtime/spawn/params.hpp"

namespace asio = boost::asio;

namespace workloads::runtime::spawn {
namespace {

using common::Awaitable;
using common::Executor;
using common::use_awaitable;

Awaitable<std::int64_t> child(std::int64_t index) { co_return index; }

Awaitable<void> parent(std::int64_t tasks, Result* result) {
  const Executor executor = co_await asio::this_coro::executor;
  for (std::int64_t i = 0; i < tasks; ++i) {
    result->sum += co_await asio::co_spawn(executor, child(i), use_awaitable);
    ++result->joined;
  }
}

}  // namespace

Result asio(const Params& params) {
  Result result;
  asio::io_context context{common::kSingleThreadHint};
  common::run_to_completion(context, parent(params.tasks, &result));
  return result;
}

}  // namespace workloads::runtime::spawn
