// asio: one io_context run by this thread; every node is a coroutine started with co_spawn.
// An inner node makes its 10 children as deferred co_spawn operations and joins them with
// experimental::make_parallel_group over the vector (the ranged overload, wait_for_all):
// that is Asio's gather, the idiomatic way to await a dynamic number of coroutines. Launched
// from a coroutine on the io_context's own thread, co_spawn dispatches, so each child runs at
// once; but a co_spawned coroutine that finished without switching context delivers its result
// through a post (a completion never runs inside its initiator), so the whole tree is launched
// before the first result arrives: all 1.1 million coroutines are alive at once (peak RSS about
// 1.3 GB at 1M leaves). That is Asio's rule, not something this model adds.

#include "workloads/common/asio.hpp"

#include <cstddef>
#include <cstdint>
#include <exception>
#include <utility>
#include <vector>

// Asio's other headers after common/asio.hpp: see its note on GCC's -Wnull-dereference.
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>

#include "workloads/runtime/skynet/params.hpp"

namespace asio = boost::asio;

namespace workloads::runtime::skynet {
namespace {

asio::awaitable<std::int64_t> node(std::int64_t num, std::int64_t size) {
  if (size == 1) co_return num;

  const auto executor = co_await asio::this_coro::executor;
  const std::int64_t child_size = size / kFanOut;
  using SpawnOp = decltype(asio::co_spawn(executor, node(0, 1), asio::deferred));
  std::vector<SpawnOp> children;
  children.reserve(static_cast<std::size_t>(kFanOut));
  for (std::int64_t i = 0; i < kFanOut; ++i) {
    children.push_back(
        asio::co_spawn(executor, node(num + i * child_size, child_size), asio::deferred));
  }

  auto [order, errors, sums] =
      co_await asio::experimental::make_parallel_group(std::move(children))
          .async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
  std::int64_t total = 0;
  for (std::size_t i = 0; i < sums.size(); ++i) {
    if (errors[i]) std::rethrow_exception(errors[i]);
    total += sums[i];
  }
  co_return total;
}

}  // namespace

Result asio(const Params& params) {
  asio::io_context context{common::kSingleThreadHint};
  Result result;
  result.sum = common::run_to_completion(context, node(0, params.leaves));
  return result;
}

}  // namespace workloads::runtime::skynet
