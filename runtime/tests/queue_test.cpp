#include <chrono>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include <corio/corio.hpp>
#include <corio/queue.hpp>

#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
using corio::Task;

TEST(Queue, ItemsComeOutInFifoOrder) {
  auto main_task = []() -> Task<std::vector<int>> {
    corio::Queue<int> queue;
    for (int i = 0; i < 5; ++i) co_await queue.put(i);
    std::vector<int> out;
    while (!queue.empty()) out.push_back(co_await queue.get());
    co_return out;
  };
  EXPECT_EQ(corio::run(main_task()), (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(Queue, TryPutAndTryGetNeverWait) {
  auto main_task = []() -> Task<void> {
    corio::Queue<int> queue(1);
    EXPECT_FALSE(queue.try_get().has_value());
    EXPECT_TRUE(queue.try_put(1));
    EXPECT_TRUE(queue.full());
    int kept = 2;
    EXPECT_FALSE(queue.try_put(kept));
    EXPECT_EQ(queue.try_get(), 1);
    co_return;
  };
  corio::run(main_task());
}

Task<void> consume(corio::Queue<int>* queue, std::vector<int>* out, int count) {
  for (int i = 0; i < count; ++i) out->push_back(co_await queue->get());
}

TEST(Queue, PutWaitsWhenFullAndGetWaitsWhenEmpty) {
  auto main_task = []() -> Task<std::vector<int>> {
    corio::Queue<int> queue(2);
    std::vector<int> out;
    auto consumer = corio::spawn(consume(&queue, &out, 10));
    for (int i = 0; i < 10; ++i) {
      co_await queue.put(i);
      EXPECT_LE(queue.size(), 2U);
    }
    co_await consumer;
    co_return out;
  };
  EXPECT_EQ(corio::run(main_task()), (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

Task<int> get_one(corio::Queue<int>* queue) { co_return co_await queue->get(); }

TEST(Queue, WaitingGettersAreServedFirstComeFirstServed) {
  auto main_task = []() -> Task<std::vector<int>> {
    corio::Queue<int> queue;
    std::vector<corio::JoinHandle<int>> getters;
    for (int i = 0; i < 3; ++i) getters.push_back(corio::spawn(get_one(&queue)));
    co_await corio::yield_now();  // all three wait, in spawn order
    for (int i = 10; i < 13; ++i) co_await queue.put(i);
    std::vector<int> out;
    for (auto& getter : getters) out.push_back(co_await getter);
    co_return out;
  };
  EXPECT_EQ(corio::run(main_task()), (std::vector<int>{10, 11, 12}));
}

TEST(Queue, CancelledGetterTakesNoItemAndLeavesTheQueue) {
  auto main_task = []() -> Task<int> {
    corio::Queue<int> queue;
    auto cancelled = corio::spawn(get_one(&queue));
    auto second = corio::spawn(get_one(&queue));
    co_await corio::yield_now();
    cancelled.cancel();
    co_await corio::yield_now();
    co_await queue.put(42);  // must reach `second`, not the cancelled getter
    bool got_cancelled = false;
    try {
      co_await cancelled;
    } catch (const corio::CancelledError&) {
      got_cancelled = true;
    }
    EXPECT_TRUE(got_cancelled);
    co_return co_await second;
  };
  EXPECT_EQ(corio::run(main_task()), 42);
}

TEST(Queue, CancelAfterTheItemWasHandedOverKeepsTheItem) {
  auto main_task = []() -> Task<int> {
    corio::Queue<int> queue;
    auto getter = corio::spawn(get_one(&queue));
    co_await corio::yield_now();
    co_await queue.put(5);  // handed to the getter, which has not run yet
    getter.cancel();        // too late to take the item back: it is delivered
    co_return co_await getter;
  };
  EXPECT_EQ(corio::run(main_task()), 5);
}

Task<void> put_one(corio::Queue<int>* queue, int value) { co_await queue->put(value); }

TEST(Queue, CancelledPutterStoresNothing) {
  auto main_task = []() -> Task<std::vector<int>> {
    corio::Queue<int> queue(1);
    co_await queue.put(1);
    auto blocked = corio::spawn(put_one(&queue, 2));
    auto next = corio::spawn(put_one(&queue, 3));
    co_await corio::yield_now();
    blocked.cancel();
    try {
      co_await blocked;
    } catch (const corio::CancelledError&) {
    }
    std::vector<int> out;
    out.push_back(co_await queue.get());  // frees a slot: `next` stores 3
    co_await next;
    out.push_back(co_await queue.get());
    EXPECT_TRUE(queue.empty());
    co_return out;
  };
  EXPECT_EQ(corio::run(main_task()), (std::vector<int>{1, 3}));
}

Task<void> worker(corio::Queue<int>* queue, int* processed) {
  for (;;) {
    const int item = co_await queue->get();
    co_await corio::sleep(std::chrono::microseconds(item));
    ++*processed;
    queue->task_done();
  }
}

TEST(Queue, JoinWaitsUntilEveryItemIsMarkedDone) {
  int processed = 0;
  auto main_task = [](int* count) -> Task<int> {
    corio::Queue<int> queue;
    for (int i = 0; i < 20; ++i) queue.try_put(i * 10);
    std::vector<corio::JoinHandle<void>> workers;
    for (int i = 0; i < 3; ++i) workers.push_back(corio::spawn(worker(&queue, count)));
    co_await queue.join();
    const int done_at_join = *count;
    for (auto& w : workers) w.cancel();
    for (auto& w : workers) {
      try {
        co_await w;
      } catch (const corio::CancelledError&) {
      }
    }
    co_return done_at_join;
  };
  EXPECT_EQ(corio::run(main_task(&processed)), 20);
}

TEST(Queue, TaskDoneCalledTooOftenThrows) {
  auto main_task = []() -> Task<void> {
    corio::Queue<int> queue;
    co_await queue.put(1);
    (void)co_await queue.get();
    queue.task_done();
    EXPECT_THROW(queue.task_done(), std::logic_error);
  };
  corio::run(main_task());
}

TEST(Queue, MoveOnlyItems) {
  auto main_task = []() -> Task<int> {
    corio::Queue<std::unique_ptr<int>> queue(1);
    co_await queue.put(std::make_unique<int>(8));
    auto item = co_await queue.get();
    co_return *item;
  };
  EXPECT_EQ(corio::run(main_task()), 8);
}

}  // namespace
