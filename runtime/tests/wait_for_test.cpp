#include <chrono>
#include <stdexcept>

#include <gtest/gtest.h>

#include <corio/corio.hpp>
#include <corio/wait_for.hpp>

#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
using corio::Task;
using corio::testing::Counted;

Task<int> after(std::chrono::milliseconds delay, int value) {
  co_await corio::sleep(delay);
  co_return value;
}

TEST(WaitFor, ReturnsTheValueWhenInTime) {
  auto main_task = []() -> Task<int> { co_return co_await corio::wait_for(after(1ms, 7), 10s); };
  EXPECT_EQ(corio::run(main_task()), 7);
}

TEST(WaitFor, ImmediateCompletionArmsNoTimer) {
  auto main_task = []() -> Task<std::size_t> {
    auto instant = []() -> Task<int> { co_return 1; };
    co_await corio::wait_for(instant(), 10s);
    co_return corio::testing::current_loop().pending_timers();
  };
  EXPECT_EQ(corio::run(main_task()), 0U);
}

TEST(WaitFor, ThrowsTimeoutError) {
  auto main_task = []() -> Task<bool> {
    try {
      co_await corio::wait_for(after(24h, 1), 5ms);
    } catch (const corio::TimeoutError&) {
      co_return true;
    }
    co_return false;
  };
  EXPECT_TRUE(corio::run(main_task()));
}

Task<int> slow_with_guard() {
  Counted guard;
  co_await corio::sleep(24h);
  co_return 1;
}

TEST(WaitFor, InnerTaskCleanupHasRunWhenTimeoutErrorArrives) {
  Counted::reset();
  auto main_task = []() -> Task<int> {
    try {
      co_await corio::wait_for(slow_with_guard(), 2ms);
    } catch (const corio::TimeoutError&) {
      co_return Counted::alive;  // 0: the inner frame's destructors already ran
    }
    co_return -1;
  };
  EXPECT_EQ(corio::run(main_task()), 0);
  EXPECT_EQ(Counted::destroyed, 1);
}

TEST(WaitFor, InnerExceptionPropagates) {
  auto failing = []() -> Task<int> {
    co_await corio::sleep(1ms);
    throw std::domain_error("inner");
  };
  auto main_task = [](Task<int> inner) -> Task<bool> {
    try {
      co_await corio::wait_for(std::move(inner), 10s);
    } catch (const std::domain_error&) {
      co_return true;
    }
    co_return false;
  };
  EXPECT_TRUE(corio::run(main_task(failing())));
}

Task<int> waits_with_timeout(bool* inner_cancelled) {
  auto inner = [](bool* flag) -> Task<int> {
    try {
      co_await corio::sleep(24h);
    } catch (const corio::CancelledError&) {
      *flag = true;
      throw;
    }
    co_return 0;
  };
  co_return co_await corio::wait_for(inner(inner_cancelled), 24h);
}

TEST(WaitFor, CancellingTheAwaiterCancelsTheInnerTaskAndRaisesCancelledError) {
  bool inner_cancelled = false;
  auto main_task = [](bool* flag) -> Task<bool> {
    auto handle = corio::spawn(waits_with_timeout(flag));
    co_await corio::yield_now();
    handle.cancel();
    try {
      co_await handle;
    } catch (const corio::CancelledError&) {
      co_return corio::testing::current_loop().pending_timers() == 0;
    }
    co_return false;
  };
  EXPECT_TRUE(corio::run(main_task(&inner_cancelled)));
  EXPECT_TRUE(inner_cancelled);
}

}  // namespace
