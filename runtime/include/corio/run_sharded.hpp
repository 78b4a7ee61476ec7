#pragma once
// corio::run_sharded(n, factory): one event loop per thread, n of them (a "shard" each).
//
// The server layout of nginx workers or Seastar shards, with threads: each shard runs
// `corio::run(factory(shard_index))` on its own thread and EventLoop, and they share nothing
// unless the program shares it. For a server, each shard binds its own listener on the same
// port with reuse_port set (SO_REUSEPORT; see corio::net::TcpListener), so the kernel spreads
// incoming connections across the shards' accept queues.
//
// Starts:   eagerly: factory(0) ... factory(n-1) are called on the calling thread, in order,
//           before any thread starts (a Task is lazy, so they only build the n tasks; if one
//           throws, nothing runs and the exception propagates). Then n threads start, each
//           running its task with corio::run() (its own loop, its own to_thread pool).
// Returns:  blocks the calling thread until every shard's run() has returned; then gives a
//           std::vector of the tasks' values in shard order (nothing for Task<void>), or
//           rethrows the first exception raised (first by time) once all shards are done.
// Cancellation: none from outside. A failing shard does not stop the others: to end a server,
//           give the shards a stop signal of your own (an atomic they poll, a signalfd, ...).
// Thread safety: a shard's loop and everything awaited on it belong to that shard's thread;
//           share data between shards with atomics, mutexes held across no co_await, or a
//           corio::ThreadPool (tasks hop onto it and back to their own shard). Do not call
//           from inside a running loop: it blocks that loop until the shards finish.
// Cost:     n thread creations and joins per call; nothing per task beyond corio::run().
// Example:  runtime/tests/run_sharded_test.cpp
//
//   std::vector<std::size_t> served = corio::run_sharded(4, [](std::size_t shard) {
//     return serve(shard);  // Task<std::size_t>: binds 0.0.0.0:8080 with reuse_port, serves
//   });

#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include <corio/run.hpp>
#include <corio/task.hpp>

namespace corio {

namespace detail {

// Runs body(context, i) for every i in [0, shards) on its own new thread and joins them all;
// then rethrows the first exception a body raised (by time). If a thread cannot be started,
// no body runs and std::system_error propagates after the started threads are joined.
void run_shards(std::size_t shards, void (*body)(void* context, std::size_t shard), void* context);

template <class T>
inline constexpr bool kIsTask = false;
template <class T>
inline constexpr bool kIsTask<Task<T>> = true;

}  // namespace detail

template <class Factory>
auto run_sharded(std::size_t shards, Factory factory) {
  using ShardTask = std::invoke_result_t<Factory&, std::size_t>;
  static_assert(detail::kIsTask<ShardTask>,
                "corio::run_sharded: the factory must return a corio::Task<T> for a shard index");
  using Value = typename ShardTask::value_type;
  if (shards == 0) {
    throw std::invalid_argument("corio::run_sharded: the number of shards must be at least 1");
  }
  std::vector<ShardTask> tasks;
  tasks.reserve(shards);
  for (std::size_t shard = 0; shard < shards; ++shard) {
    tasks.push_back(std::invoke(factory, shard));
  }

  if constexpr (std::is_void_v<Value>) {
    detail::run_shards(
        shards,
        [](void* context, std::size_t shard) {
          corio::run(std::move((*static_cast<std::vector<ShardTask>*>(context))[shard]));
        },
        &tasks);
    return;
  } else {
    struct Context {
      std::vector<ShardTask> tasks;
      std::vector<std::optional<Value>> values;  // each written by its own shard only
    };
    Context context{std::move(tasks), std::vector<std::optional<Value>>(shards)};
    detail::run_shards(
        shards,
        [](void* erased, std::size_t shard) {
          auto& self = *static_cast<Context*>(erased);
          self.values[shard].emplace(corio::run(std::move(self.tasks[shard])));
        },
        &context);
    std::vector<Value> values;
    values.reserve(shards);
    for (std::optional<Value>& value : context.values) values.push_back(std::move(*value));
    return values;
  }
}

}  // namespace corio
