#pragma once
// Boost.Asio as the suite's Asio models use it: the core headers, included here once behind
// the one warning suppression they need, the concrete io_context executor, and how a model
// runs its coroutines and gets their failures back.
//
//   workloads::common::Executor           io_context::executor_type, the concrete executor
//   workloads::common::Awaitable<T>       asio::awaitable<T, Executor>
//   workloads::common::use_awaitable      the completion token that makes an Awaitable
//   workloads::common::kSingleThreadHint  the io_context concurrency hint for one thread
//   workloads::common::rethrow_if_failed  a co_spawn completion handler that rethrows
//   workloads::common::run_to_completion  co_spawns a root coroutine, runs the io_context
//                                         until no work is left, returns the root's value
//   workloads::common::run_on_threads     runs an io_context on this thread and N - 1 more
//
// Executor, Awaitable and use_awaitable are the fast path of a single-threaded model: the
// concrete executor instead of the type-erased any_io_executor that asio::awaitable<T> and
// asio::use_awaitable name by default (measured in runtime/spawn: about a third less time
// per co_spawn). A model that uses the defaults keeps them, as an Asio user would.
//
// A model that needs more of Asio (channels, timers, sockets, parallel_group ...) includes
// those headers itself, after this one.

#include <cstdint>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

// GCC 12 reports a "potential null pointer dereference" inside Asio's any_executor comparison
// once it is inlined into a model; the warning is about Asio's code, not ours. The code it
// points at comes in with these headers, so one suppression here covers every model.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#pragma GCC diagnostic pop

namespace workloads::common {

using Executor = boost::asio::io_context::executor_type;
template <class T>
using Awaitable = boost::asio::awaitable<T, Executor>;
inline constexpr boost::asio::use_awaitable_t<Executor> use_awaitable;

// For an io_context that only the thread running it ever touches (nobody posts to it from
// another thread): BOOST_ASIO_CONCURRENCY_HINT_UNSAFE, under which the scheduler and the
// reactor take no mutex, the documented single-threaded fast path. An io_context that other
// threads post to keeps its locking (hint 1, or the number of threads that run it).
inline constexpr int kSingleThreadHint = BOOST_ASIO_CONCURRENCY_HINT_UNSAFE;

// A co_spawn completion handler: a coroutine's exception is rethrown out of io_context::run(),
// so a failure reaches the harness instead of vanishing.
inline void rethrow_if_failed(const std::exception_ptr& error) {
  if (error) std::rethrow_exception(error);
}

// co_spawns `root` on `context`, runs the context until it has no work left (the root and all
// it spawned have ended), and returns the root's value; the root's exception is rethrown out
// of run(). For an io_context run by this thread alone.
template <class T, class AwaitableExecutor>
T run_to_completion(boost::asio::io_context& context,
                    boost::asio::awaitable<T, AwaitableExecutor> root) {
  if constexpr (std::is_void_v<T>) {
    boost::asio::co_spawn(context, std::move(root), rethrow_if_failed);
    context.run();
  } else {
    std::optional<T> value;
    boost::asio::co_spawn(context, std::move(root),
                          [&value](const std::exception_ptr& error, T result) {
                            rethrow_if_failed(error);
                            value.emplace(std::move(result));
                          });
    context.run();
    if (!value) throw std::logic_error("run_to_completion: the io_context stopped early");
    return std::move(*value);
  }
}

// Runs `context` on `threads` threads, this one and threads - 1 that it starts, and returns
// once run() has returned on all of them (the join orders everything they wrote before what
// the caller reads next). When the OS refuses a thread the context runs on those started and
// *error says so. Returns how many threads ran the context.
std::int64_t run_on_threads(boost::asio::io_context& context, int threads, std::string* error);

}  // namespace workloads::common
