#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <corio/corio.hpp>
#include <corio/spawn.hpp>

#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
using corio::Task;
using corio::testing::Counted;

// A spawned task's bookkeeping, beside its frame, is one 64-byte pooled block whatever its result
// type (the vtable, cancel hook, reference count and flags, registry links, joiner, group and
// the coroutine): runtime/README's memory table counts on it.
static_assert(sizeof(corio::detail::SpawnedTask<void>) == 64);
static_assert(sizeof(corio::detail::SpawnedTask<std::string>) == 64);

Task<void> record(std::vector<std::string>* log, std::string what) {
  log->push_back(std::move(what));
  co_return;
}

Task<int> value_after_sleep(int value) {
  co_await corio::sleep(1ms);
  co_return value;
}

TEST(Spawn, StartsWhenTheSpawnerSuspendsInSpawnOrder) {
  std::vector<std::string> log;
  auto main_task = [](std::vector<std::string>* out) -> Task<void> {
    auto a = corio::spawn(record(out, "a"));
    auto b = corio::spawn(record(out, "b"));
    out->push_back("spawned");
    co_await corio::yield_now();
    out->push_back("resumed");
    co_await a;
    co_await b;
  };
  corio::run(main_task(&log));
  EXPECT_EQ(log, (std::vector<std::string>{"spawned", "a", "b", "resumed"}));
}

TEST(Spawn, AwaitingTheHandleGivesTheValue) {
  auto main_task = []() -> Task<int> {
    auto handle = corio::spawn(value_after_sleep(9));
    EXPECT_FALSE(handle.done());
    const int value = co_await handle;
    EXPECT_TRUE(handle.done());
    co_return value;
  };
  EXPECT_EQ(corio::run(main_task()), 9);
}

TEST(Spawn, AwaitingTheHandleRethrows) {
  auto failing = []() -> Task<int> {
    co_await corio::yield_now();
    throw std::invalid_argument("bad");
  };
  auto main_task = [](Task<int> child) -> Task<std::string> {
    auto handle = corio::spawn(std::move(child));
    try {
      co_await handle;
    } catch (const std::invalid_argument& e) {
      co_return e.what();
    }
    co_return "";
  };
  EXPECT_EQ(corio::run(main_task(failing())), "bad");
}

Task<void> sleeper_with_guard(bool* reached_end) {
  Counted guard;
  co_await corio::sleep(24h);
  *reached_end = true;
}

TEST(Spawn, CancelWhileSleepingDeliversCancelledErrorAndRemovesTheTimer) {
  Counted::reset();
  bool reached_end = false;
  auto main_task = [](bool* end) -> Task<bool> {
    auto handle = corio::spawn(sleeper_with_guard(end));
    co_await corio::yield_now();  // it is now sleeping
    EXPECT_EQ(corio::testing::current_loop().pending_timers(), 1U);
    EXPECT_TRUE(handle.cancel());
    bool cancelled = false;
    try {
      co_await handle;
    } catch (const corio::CancelledError&) {
      cancelled = true;
    }
    EXPECT_EQ(corio::testing::current_loop().pending_timers(), 0U);
    EXPECT_EQ(Counted::alive, 0);   // its frame's destructors ran
    EXPECT_FALSE(handle.cancel());  // already finished
    co_return cancelled;
  };
  EXPECT_TRUE(corio::run(main_task(&reached_end)));
  EXPECT_FALSE(reached_end);
}

TEST(Spawn, CancelBeforeItStartsIsDeliveredAtItsFirstSuspension) {
  int steps = 0;
  auto child = [](int* counter) -> Task<void> {
    ++*counter;                  // runs: cancellation waits for a suspension point
    co_await corio::sleep(1ms);  // throws CancelledError instead of sleeping
    ++*counter;
  };
  auto main_task = [](Task<void> task) -> Task<bool> {
    auto handle = corio::spawn(std::move(task));
    handle.cancel();
    try {
      co_await handle;
    } catch (const corio::CancelledError&) {
      co_return true;
    }
    co_return false;
  };
  EXPECT_TRUE(corio::run(main_task(child(&steps))));
  EXPECT_EQ(steps, 1);
}

TEST(Spawn, DroppingTheHandleDetachesTheTask) {
  int finished = 0;
  auto child = [](int* counter) -> Task<void> {
    co_await corio::sleep(1ms);
    ++*counter;
  };
  auto main_task = [](Task<void> task) -> Task<void> {
    {
      auto dropped = corio::spawn(std::move(task));
    }
    co_await corio::sleep(20ms);
  };
  corio::run(main_task(child(&finished)));
  EXPECT_EQ(finished, 1);
}

Task<int> inner_sleeper(bool* inner_cancelled) {
  try {
    co_await corio::sleep(24h);
  } catch (const corio::CancelledError&) {
    *inner_cancelled = true;
    throw;
  }
  co_return 0;
}

Task<int> awaits_handle(corio::JoinHandle<int>* handle) { co_return co_await *handle; }

TEST(Spawn, CancellingTheAwaiterCancelsTheAwaitedTask) {
  bool inner_cancelled = false;
  auto main_task = [](bool* flag) -> Task<bool> {
    auto inner = corio::spawn(inner_sleeper(flag));
    auto outer = corio::spawn(awaits_handle(&inner));
    co_await corio::yield_now();
    outer.cancel();
    try {
      co_await outer;
    } catch (const corio::CancelledError&) {
      co_return inner.done();
    }
    co_return false;
  };
  EXPECT_TRUE(corio::run(main_task(&inner_cancelled)));
  EXPECT_TRUE(inner_cancelled);
}

TEST(Spawn, ResultWithoutAwaitingAfterItFinished) {
  auto main_task = []() -> Task<int> {
    auto handle = corio::spawn(value_after_sleep(4));
    co_await corio::sleep(10ms);
    EXPECT_TRUE(handle.done());
    co_return handle.result();
  };
  EXPECT_EQ(corio::run(main_task()), 4);
}

}  // namespace
