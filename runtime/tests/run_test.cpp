#include <chrono>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include <corio/corio.hpp>
#include <corio/run.hpp>

#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
using corio::Task;
using corio::testing::Counted;

Task<int> nested_run() {
  // The inner run() must refuse before creating anything.
  auto inner = []() -> Task<int> { co_return 1; };
  co_return corio::run(inner());
}

TEST(Run, ReturnsTheValue) {
  auto main_task = []() -> Task<int> { co_return 5; };
  EXPECT_EQ(corio::run(main_task()), 5);
}

TEST(Run, RethrowsTheMainTaskException) {
  auto main_task = []() -> Task<void> {
    throw std::runtime_error("main failed");
    co_return;
  };
  EXPECT_THROW(corio::run(main_task()), std::runtime_error);
}

TEST(Run, InsideARunningLoopThrowsAClearError) {
  try {
    corio::run(nested_run());
    FAIL() << "expected std::logic_error";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("already running"), std::string::npos) << e.what();
  }
}

TEST(Run, CanRunAgainAfterReturning) {
  auto main_task = []() -> Task<int> {
    co_await corio::sleep(0ms);
    co_return 3;
  };
  EXPECT_EQ(corio::run(main_task()), 3);
  EXPECT_EQ(corio::run(main_task()), 3);
}

Task<void> sleeps_forever(int* cancelled) {
  Counted guard;
  try {
    co_await corio::sleep(24h);
  } catch (const corio::CancelledError&) {
    ++*cancelled;
    throw;
  }
}

Task<void> waits_on_event_forever(corio::Event* event) {
  Counted guard;
  bool cancelled = false;
  try {
    co_await event->wait();
  } catch (const corio::CancelledError&) {
    cancelled = true;
  }
  if (cancelled) co_await event->wait();  // refuses to stop: run() must destroy it
}

TEST(Run, LeftoverTasksAreCancelledAndDestroyedWhenRunReturns) {
  Counted::reset();
  int cancelled = 0;
  corio::Event never_set;
  auto main_task = [](int* count, corio::Event* event) -> Task<int> {
    for (int i = 0; i < 3; ++i) corio::spawn(sleeps_forever(count));
    corio::spawn(waits_on_event_forever(event));
    co_await corio::sleep(1ms);  // let them start
    co_return 1;
  };
  EXPECT_EQ(corio::run(main_task(&cancelled, &never_set)), 1);
  EXPECT_EQ(cancelled, 3);
  EXPECT_EQ(Counted::alive, 0);  // every frame, even the stuck one, was destroyed
  EXPECT_EQ(Counted::destroyed, 4);
}

TEST(Run, DeadlockedMainTaskThrowsInsteadOfHanging) {
  auto main_task = []() -> Task<void> {
    corio::Event never_set;
    co_await never_set.wait();
  };
  try {
    corio::run(main_task());
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("deadlock"), std::string::npos) << e.what();
  }
}

// EventLoop::run_until_complete runs the same loop as run() without closing it: tasks spawned
// meanwhile keep their state, the loop runs again, and a deadlock is reported there too.
TEST(RunUntilComplete, ReturnsEachValueAndKeepsTheLoopOpen) {
  corio::EventLoop loop;
  corio::Event go;
  int steps = 0;
  auto waiter = [](corio::Event* event, int* counter) -> Task<int> {
    co_await event->wait();
    co_return ++*counter;
  };
  auto first = [](corio::Event* event, int* counter, decltype(waiter) make) -> Task<int> {
    auto other = corio::spawn(make(event, counter));  // still running when this returns
    co_await corio::sleep(1ms);
    event->set();
    co_return 10;
  };
  EXPECT_EQ(loop.run_until_complete(first(&go, &steps, waiter)), 10);
  EXPECT_EQ(loop.run_until_complete(waiter(&go, &steps)), 2);  // the spawned one ran first
  EXPECT_EQ(steps, 2);
  auto stuck = []() -> Task<void> {
    corio::Event never_set;
    co_await never_set.wait();
  };
  EXPECT_THROW(loop.run_until_complete(stuck()), std::runtime_error);
}

Task<void> fails_unobserved() {
  throw std::runtime_error("nobody awaits me");
  co_return;
}

TEST(Run, ExceptionNobodyRetrievesIsReportedOnStderr) {
  auto main_task = []() -> Task<void> {
    corio::spawn(fails_unobserved());  // handle dropped: detached
    co_await corio::sleep(1ms);
  };
  ::testing::internal::CaptureStderr();
  corio::run(main_task());
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("never retrieved"), std::string::npos) << err;
  EXPECT_NE(err.find("nobody awaits me"), std::string::npos) << err;
}

TEST(Run, RetrievedExceptionIsNotReported) {
  auto main_task = []() -> Task<void> {
    auto handle = corio::spawn(fails_unobserved());
    try {
      co_await handle;
    } catch (const std::runtime_error&) {
    }
  };
  ::testing::internal::CaptureStderr();
  corio::run(main_task());
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

TEST(Run, SpawnOutsideALoopThrowsAClearError) {
  auto task = []() -> Task<void> { co_return; };
  try {
    corio::spawn(task());
    FAIL() << "expected std::logic_error";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("corio::spawn()"), std::string::npos) << e.what();
  }
}

}  // namespace
