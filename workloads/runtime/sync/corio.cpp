// corio: one loop (corio::run), the producer and the consumer spawned and then joined.
// prim:semaphore: two corio::Semaphores around a ring (free slots, filled slots); acquire
// returns at once when a permit is free and nobody is queued, and release hands its permit
// straight to the longest waiter. prim:queue: a corio::Queue<int64_t> of maxsize `capacity`;
// put and get return at once when there is room or an item, and otherwise hand the item over
// at wake-up time. Each primitive is used exactly as asyncio's is, with no try_* shortcuts:
// its own await_ready already skips the suspension when nothing has to wait.
#include <cstddef>
#include <cstdint>
#include <vector>

#include <corio/corio.hpp>

#include "workloads/runtime/sync/params.hpp"

namespace workloads::runtime::sync {
namespace {

struct Ring {
  std::vector<std::int64_t> slots;
  std::int64_t& operator[](std::int64_t i) {
    return slots[static_cast<std::size_t>(i) % slots.size()];
  }
};

corio::Task<> ring_producer(std::int64_t items, Ring* ring, corio::Semaphore* free_slots,
                            corio::Semaphore* filled, Result* result) {
  for (std::int64_t i = 0; i < items; ++i) {
    co_await free_slots->acquire();
    (*ring)[i] = i;
    filled->release();
    ++result->pairs;
  }
}

corio::Task<> ring_consumer(std::int64_t items, Ring* ring, corio::Semaphore* free_slots,
                            corio::Semaphore* filled, Result* result) {
  for (std::int64_t i = 0; i < items; ++i) {
    co_await filled->acquire();
    result->sum += (*ring)[i];
    free_slots->release();
    ++result->pairs;
  }
}

corio::Task<> queue_producer(std::int64_t items, corio::Queue<std::int64_t>* queue) {
  for (std::int64_t i = 0; i < items; ++i) co_await queue->put(i);
}

corio::Task<> queue_consumer(std::int64_t items, corio::Queue<std::int64_t>* queue,
                             Result* result) {
  for (std::int64_t i = 0; i < items; ++i) {
    result->sum += co_await queue->get();
    ++result->pairs;
  }
}

corio::Task<Result> semaphore_run(Params params) {
  Result result;
  const auto capacity = static_cast<std::size_t>(params.capacity);
  corio::Semaphore free_slots{capacity};
  if (params.tasks == 1) {
    for (std::int64_t i = 0; i < params.ops; ++i) {
      co_await free_slots.acquire();
      result.sum += i;
      ++result.pairs;
      free_slots.release();
    }
    co_return result;
  }
  corio::Semaphore filled{0};
  Ring ring{std::vector<std::int64_t>(capacity)};
  const std::int64_t items = items_moved(params);
  auto consumer = corio::spawn(ring_consumer(items, &ring, &free_slots, &filled, &result));
  auto producer = corio::spawn(ring_producer(items, &ring, &free_slots, &filled, &result));
  co_await consumer;
  co_await producer;
  co_return result;
}

corio::Task<Result> queue_run(Params params) {
  Result result;
  corio::Queue<std::int64_t> queue{static_cast<std::size_t>(params.capacity)};
  if (params.tasks == 1) {
    for (std::int64_t i = 0; i < params.ops; ++i) {
      co_await queue.put(i);
      result.sum += co_await queue.get();
      ++result.pairs;
    }
    co_return result;
  }
  const std::int64_t items = items_moved(params);
  auto consumer = corio::spawn(queue_consumer(items, &queue, &result));
  auto producer = corio::spawn(queue_producer(items, &queue));
  co_await consumer;
  co_await producer;
  co_return result;
}

}  // namespace

Result corio(const Params& params) {
  if (params.prim == Prim::semaphore) return corio::run(semaphore_run(params));
  return corio::run(queue_run(params));
}

}  // namespace workloads::runtime::sync
