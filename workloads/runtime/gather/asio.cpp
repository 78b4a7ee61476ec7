// asio: one io_context on this thread, C++20 awaitables. A round is Asio's gather: a vector of
// co_spawn(executor, child(i), deferred) operations handed to
// experimental::make_parallel_group(...).async_wait(wait_for_all(), use_awaitable), which
// launches them all and completes with (completion order, exceptions, values), values in the
// order of the operations. As in every Asio model here: the UNSAFE concurrency hint (one
// thread, no scheduler mutex) and the concrete io_context executor instead of the type-erased
// any_io_executor.
#include "workloads/common/asio.hpp"

#include <cstddef>
#include <cstdint>
#include <exception>
#include <utility>
#include <vector>

// Asio's other headers after common/asio.hpp: see its note on GCC's -Wnull-dereference.
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>

#include "workloads/runtime/gather/params.hpp"

namespace asio = boost::asio;

namespace workloads::runtime::gather {
namespace {

using common::Awaitable;
using common::Executor;
using common::use_awaitable;

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
  asio::io_context context{common::kSingleThreadHint};
  common::run_to_completion(context, parent(params, &result));
  return result;
}

}  // namespace workloads::runtime::gather
