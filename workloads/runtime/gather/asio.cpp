// asio: one io_context on this thread, C++20 awaitables. A round is Asio's gather: a vector of
// co_spawn(executor, child(i), deferred) operations handed to
// experimental::make_parallel_group(...).async_wait(wait_for_all(), use_awaitable), which
// launches them all and completes with (completion order, exceptions, values), values in the
// order of the operations. As in every Asio model here: the UNSAFE concurrency hint (one
// thread, no scheduler mutex) and the concrete io_context executor instead of the type-erased
// any_io_executor.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <utility>
#include <vector>

// GCC 12 reports a "potential null pointer dereference" inside Asio's executor comparison once
// it is inlined here; the warning is about Asio's code, not ours.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#pragma GCC diagnostic pop

#include "workloads/runtime/gather/params.hpp"

namespace asio = boost::asio;

namespace workloads::runtime::gather {
namespace {

using Executor = asio::io_context::executor_type;
template <class T>
using Awaitable = asio::awaitable<T, Executor>;
constexpr asio::use_awaitable_t<Executor> use_awaitable;

Awaitable<std::int64_t> child(std::int64_t index) { co_return index; }

using ChildOp = decltype(asio::co_spawn(std::declval<Executor>(), child(0), asio::deferred));

Awaitable<void> parent(Params params, Result* result) {
  const Executor executor = co_await asio::this_coro::executor;
  for (std::int64_t round = 0; round < params.rounds; ++round) {
    std::vector<ChildOp> ops;
    ops.reserve(static_cast<std::size_t>(params.children));
    for (std::int64_t i = 0; i < params.children; ++i) {
      ops.push_back(asio::co_spawn(executor, child(i), asio::deferred));
    }
    auto [order, errors, values] =
        co_await asio::experimental::make_parallel_group(std::move(ops))
            .async_wait(asio::experimental::wait_for_all(), use_awaitable);
    for (const std::exception_ptr& error : errors) {
      if (error) std::rethrow_exception(error);
    }
    for (const std::int64_t value : values) result->sum += value;
    result->completed += static_cast<std::int64_t>(values.size());
  }
}

}  // namespace

Result asio(const Params& params) {
  Result result;
  asio::io_context context{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE};
  // Rethrown from run(), so a failure reaches the harness instead of vanishing.
  asio::co_spawn(context.get_executor(), parent(params, &result), [](std::exception_ptr error) {
    if (error) std::rethrow_exception(error);
  });
  context.run();
  return result;
}

}  // namespace workloads::runtime::gather
