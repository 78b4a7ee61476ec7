// asio: one io_context on this thread, two coroutines started with co_spawn, and
// experimental::channel for both primitives (concurrent_channel is for several threads).
// prim:queue: a channel of capacity `capacity` carrying the values. prim:semaphore: Asio has no
// semaphore; its idiomatic stand-in is a channel used as a token bucket, whose buffered
// messages are the permits: acquire receives a token, release sends one back (never waits: at
// most `capacity` tokens exist, so there is always room, or a waiter takes it). Not a
// steady_timer cancelled as a condition variable: every timer wait re-arms the reactor's
// timerfd (a system call). Every operation first tries the channel's non-blocking try_send /
// try_receive and falls back to async_send / async_receive only when it must wait: in Boost
// 1.81 an async channel operation always completes through a post to the executor, even when
// it could finish at once, and an expert does not pay a trip through the scheduler for a
// permit or a slot that is free. As in every Asio model here: the UNSAFE concurrency hint (one
// thread, no scheduler mutex) and the concrete io_context executor instead of any_io_executor.
#include "workloads/common/asio.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

// Asio's other headers after common/asio.hpp: see its note on GCC's -Wnull-dereference.
#include <boost/asio/experimental/channel.hpp>

#include "workloads/runtime/sync/params.hpp"

namespace asio = boost::asio;
using boost::system::error_code;

namespace workloads::runtime::sync {
namespace {

using common::Awaitable;
using common::Executor;
using common::rethrow_if_failed;
using common::use_awaitable;
using Values = asio::experimental::channel<Executor, void(error_code, std::int64_t)>;
using Tokens = asio::experimental::channel<Executor, void(error_code)>;

// A counting semaphore made of a channel whose buffered messages are the permits.
// Use: if (!semaphore.try_acquire()) co_await semaphore.async_acquire();
class TokenSemaphore {
 public:
  TokenSemaphore(const Executor& executor, std::int64_t max_permits, std::int64_t permits)
      : tokens_(executor, static_cast<std::size_t>(max_permits)) {
    for (std::int64_t i = 0; i < permits; ++i) release();
  }
  bool try_acquire() {
    return tokens_.try_receive([](error_code) {});
  }
  auto async_acquire() { return tokens_.async_receive(use_awaitable); }
  void release() { tokens_.try_send(error_code{}); }

 private:
  Tokens tokens_;
};

struct Ring {
  std::vector<std::int64_t> slots;
  std::int64_t& operator[](std::int64_t i) {
    return slots[static_cast<std::size_t>(i) % slots.size()];
  }
};

Awaitable<void> ring_producer(std::int64_t items, Ring* ring, TokenSemaphore* free_slots,
                              TokenSemaphore* filled, Result* result) {
  for (std::int64_t i = 0; i < items; ++i) {
    if (!free_slots->try_acquire()) co_await free_slots->async_acquire();
    (*ring)[i] = i;
    filled->release();
    ++result->pairs;
  }
}

Awaitable<void> ring_consumer(std::int64_t items, Ring* ring, TokenSemaphore* free_slots,
                              TokenSemaphore* filled, Result* result) {
  for (std::int64_t i = 0; i < items; ++i) {
    if (!filled->try_acquire()) co_await filled->async_acquire();
    result->sum += (*ring)[i];
    free_slots->release();
    ++result->pairs;
  }
}

Awaitable<void> semaphore_alone(std::int64_t ops, TokenSemaphore* semaphore, Result* result) {
  for (std::int64_t i = 0; i < ops; ++i) {
    if (!semaphore->try_acquire()) co_await semaphore->async_acquire();
    result->sum += i;
    ++result->pairs;
    semaphore->release();
  }
}

Awaitable<void> queue_producer(std::int64_t items, Values* queue) {
  for (std::int64_t i = 0; i < items; ++i) {
    if (!queue->try_send(error_code{}, i)) {
      co_await queue->async_send(error_code{}, i, use_awaitable);
    }
  }
}

Awaitable<void> queue_consumer(std::int64_t items, Values* queue, Result* result) {
  for (std::int64_t i = 0; i < items; ++i) {
    std::int64_t value = 0;
    if (!queue->try_receive([&value](error_code, std::int64_t v) { value = v; })) {
      value = co_await queue->async_receive(use_awaitable);
    }
    result->sum += value;
    ++result->pairs;
  }
}

Awaitable<void> queue_alone(std::int64_t ops, Values* queue, Result* result) {
  for (std::int64_t i = 0; i < ops; ++i) {
    if (!queue->try_send(error_code{}, i)) {
      co_await queue->async_send(error_code{}, i, use_awaitable);
    }
    std::int64_t value = 0;
    if (!queue->try_receive([&value](error_code, std::int64_t v) { value = v; })) {
      value = co_await queue->async_receive(use_awaitable);
    }
    result->sum += value;
    ++result->pairs;
  }
}

}  // namespace

Result asio(const Params& params) {
  Result result;
  asio::io_context context{common::kSingleThreadHint};
  const Executor executor = context.get_executor();
  const std::int64_t items = items_moved(params);
  // The coroutines hold pointers to these: declared after the context, they outlive run() and
  // are destroyed before it.
  Ring ring{std::vector<std::int64_t>(static_cast<std::size_t>(params.capacity))};
  TokenSemaphore free_slots{executor, params.capacity, params.capacity};
  TokenSemaphore filled{executor, params.capacity, 0};
  Values queue{executor, static_cast<std::size_t>(params.capacity)};

  if (params.prim == Prim::semaphore && params.tasks == 2) {
    asio::co_spawn(executor, ring_consumer(items, &ring, &free_slots, &filled, &result),
                   rethrow_if_failed);
    asio::co_spawn(executor, ring_producer(items, &ring, &free_slots, &filled, &result),
                   rethrow_if_failed);
  } else if (params.prim == Prim::semaphore) {
    asio::co_spawn(executor, semaphore_alone(params.ops, &free_slots, &result), rethrow_if_failed);
  } else if (params.tasks == 2) {
    asio::co_spawn(executor, queue_consumer(items, &queue, &result), rethrow_if_failed);
    asio::co_spawn(executor, queue_producer(items, &queue), rethrow_if_failed);
  } else {
    asio::co_spawn(executor, queue_alone(params.ops, &queue, &result), rethrow_if_failed);
  }
  context.run();
  return result;
}

}  // namespace workloads::runtime::sync
