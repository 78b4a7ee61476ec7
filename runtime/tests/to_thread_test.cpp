#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include <corio/corio.hpp>
#include <corio/to_thread.hpp>

#include "test_support.hpp"

namespace {

using corio::Task;

TEST(ToThread, ReturnsTheFunctionsValueFromAnotherThread) {
  auto main_task = []() -> Task<bool> {
    const auto loop_thread = std::this_thread::get_id();
    const auto worker_thread = co_await corio::to_thread([] { return std::this_thread::get_id(); });
    co_return worker_thread != loop_thread;
  };
  EXPECT_TRUE(corio::run(main_task()));
}

TEST(ToThread, RethrowsTheFunctionsException) {
  auto main_task = []() -> Task<std::string> {
    try {
      co_await corio::to_thread([]() -> int { throw std::out_of_range("from the pool"); });
    } catch (const std::out_of_range& e) {
      co_return e.what();
    }
    co_return "";
  };
  EXPECT_EQ(corio::run(main_task()), "from the pool");
}

Task<void> count_ticks(std::atomic<int>* ticks, const std::atomic<bool>* stop) {
  while (!stop->load()) {
    ticks->fetch_add(1);
    co_await corio::yield_now();
  }
}

// The blocking function waits until the loop has ticked 100 times: it can return only if the
// loop keeps serving other tasks while it blocks. No sleep, no timing.
TEST(ToThread, TheLoopKeepsServingOtherTasksMeanwhile) {
  auto main_task = []() -> Task<int> {
    std::atomic<int> ticks{0};
    std::atomic<bool> stop{false};
    auto ticker = corio::spawn(count_ticks(&ticks, &stop));
    const int seen = co_await corio::to_thread([&ticks] {
      while (ticks.load() < 100) std::this_thread::yield();
      return ticks.load();
    });
    stop.store(true);
    co_await ticker;
    co_return seen;
  };
  EXPECT_GE(corio::run(main_task()), 100);
}

Task<void> blocking_call(std::atomic<bool>* release, std::atomic<bool>* finished) {
  co_await corio::to_thread([release, finished] {
    while (!release->load()) std::this_thread::yield();
    finished->store(true);
  });
}

TEST(ToThread, CancellationIsRaisedOnlyAfterTheFunctionReturns) {
  auto main_task = []() -> Task<bool> {
    std::atomic<bool> release{false};
    std::atomic<bool> finished{false};
    auto handle = corio::spawn(blocking_call(&release, &finished));
    co_await corio::yield_now();
    handle.cancel();
    co_await corio::yield_now();
    EXPECT_FALSE(handle.done());  // still waiting for the function
    release.store(true);
    try {
      co_await handle;
    } catch (const corio::CancelledError&) {
      co_return finished.load();
    }
    co_return false;
  };
  EXPECT_TRUE(corio::run(main_task()));
}

TEST(ToThread, ManyCallsAllComplete) {
  auto main_task = []() -> Task<long> {
    std::vector<Task<long>> calls;
    for (long i = 1; i <= 200; ++i) calls.push_back(corio::to_thread([i] { return i; }));
    long sum = 0;
    for (long v : co_await corio::gather(std::move(calls))) sum += v;
    co_return sum;
  };
  EXPECT_EQ(corio::run(main_task()), 200L * 201 / 2);
}

}  // namespace
