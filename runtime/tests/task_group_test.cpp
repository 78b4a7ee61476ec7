#include <chrono>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include <corio/corio.hpp>
#include <corio/task_group.hpp>

#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
using corio::Task;
using corio::testing::Counted;

Task<void> finish_after(std::chrono::milliseconds delay, int* finished) {
  co_await corio::sleep(delay);
  ++*finished;
}

Task<void> sleep_long(int* cancelled) {
  Counted guard;
  try {
    co_await corio::sleep(24h);
  } catch (const corio::CancelledError&) {
    ++*cancelled;
    throw;
  }
}

Task<void> fail_soon() {
  co_await corio::sleep(1ms);
  throw std::runtime_error("child failed");
}

TEST(TaskGroup, JoinWaitsForEveryChild) {
  int finished = 0;
  auto main_task = [](int* count) -> Task<int> {
    corio::TaskGroup group;
    group.spawn(finish_after(5ms, count));
    group.spawn(finish_after(1ms, count));
    group.spawn(finish_after(0ms, count));
    co_await group.join();
    co_return *count;
  };
  EXPECT_EQ(corio::run(main_task(&finished)), 3);
}

TEST(TaskGroup, JoinOfAnEmptyGroupReturnsAtOnce) {
  auto main_task = []() -> Task<int> {
    corio::TaskGroup group;
    co_await group.join();
    co_return 1;
  };
  EXPECT_EQ(corio::run(main_task()), 1);
}

TEST(TaskGroup, FirstFailureCancelsSiblingsAndIsRethrownAtJoin) {
  Counted::reset();
  int cancelled = 0;
  auto main_task = [](int* count) -> Task<std::string> {
    corio::TaskGroup group;
    group.spawn(sleep_long(count));
    group.spawn(fail_soon());
    group.spawn(sleep_long(count));
    try {
      co_await group.join();
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(Counted::alive, 0);  // siblings finished (cancelled) before join() threw
      co_return e.what();
    }
    co_return "no error";
  };
  EXPECT_EQ(corio::run(main_task(&cancelled)), "child failed");
  EXPECT_EQ(cancelled, 2);
}

TEST(TaskGroup, SpawnAfterAFailureThrows) {
  auto main_task = []() -> Task<bool> {
    corio::TaskGroup group;
    group.spawn(fail_soon());
    co_await corio::sleep(5ms);
    bool refused = false;
    try {
      group.spawn(fail_soon());
    } catch (const std::logic_error&) {
      refused = true;
    }
    try {
      co_await group.join();
    } catch (const std::runtime_error&) {
    }
    co_return refused;
  };
  EXPECT_TRUE(corio::run(main_task()));
}

Task<void> group_with_sleepers(int* cancelled) {
  corio::TaskGroup group;
  group.spawn(sleep_long(cancelled));
  group.spawn(sleep_long(cancelled));
  co_await group.join();
}

TEST(TaskGroup, CancellingTheJoinerCancelsEveryChild) {
  Counted::reset();
  int cancelled = 0;
  auto main_task = [](int* count) -> Task<bool> {
    auto handle = corio::spawn(group_with_sleepers(count));
    co_await corio::sleep(1ms);
    handle.cancel();
    try {
      co_await handle;
    } catch (const corio::CancelledError&) {
      co_return Counted::alive == 0;
    }
    co_return false;
  };
  EXPECT_TRUE(corio::run(main_task(&cancelled)));
  EXPECT_EQ(cancelled, 2);
}

TEST(TaskGroup, DestroyingTheGroupBeforeJoinCancelsItsChildren) {
  int cancelled = 0;
  auto main_task = [](int* count) -> Task<int> {
    {
      corio::TaskGroup group;
      group.spawn(sleep_long(count));
      co_await corio::yield_now();
    }  // no join: the child is cancelled and detached
    co_await corio::sleep(1ms);
    co_return *count;
  };
  EXPECT_EQ(corio::run(main_task(&cancelled)), 1);
}

TEST(TaskGroup, ChildHandlesGiveTheirValues) {
  auto value = [](int v) -> Task<int> {
    co_await corio::yield_now();
    co_return v;
  };
  auto main_task = [](Task<int> a, Task<int> b) -> Task<int> {
    corio::TaskGroup group;
    auto first = group.spawn(std::move(a));
    auto second = group.spawn(std::move(b));
    co_await group.join();
    co_return first.result() + second.result();
  };
  EXPECT_EQ(corio::run(main_task(value(2), value(3))), 5);
}

}  // namespace
