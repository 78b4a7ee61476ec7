#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <corio/corio.hpp>
#include <corio/sleep.hpp>
#include <corio/to_thread.hpp>

#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
using corio::Task;

Task<void> sleep_then_log(std::chrono::milliseconds delay, int id, std::vector<int>* log) {
  co_await corio::sleep(delay);
  log->push_back(id);
}

TEST(Sleep, TimersFireInDeadlineOrder) {
  std::vector<int> log;
  auto main_task = [](std::vector<int>* out) -> Task<void> {
    std::vector<Task<void>> tasks;
    tasks.push_back(sleep_then_log(30ms, 3, out));
    tasks.push_back(sleep_then_log(10ms, 1, out));
    tasks.push_back(sleep_then_log(20ms, 2, out));
    tasks.push_back(sleep_then_log(0ms, 0, out));
    co_await corio::gather(std::move(tasks));
  };
  corio::run(main_task(&log));
  EXPECT_EQ(log, (std::vector<int>{0, 1, 2, 3}));
}

// Equal deadlines: the loop reads the clock once per sleep, so to get truly equal deadlines
// the test arms the timers through the loop's own queue with a shared deadline.
TEST(Sleep, EqualDeadlinesFireInTheOrderTheyWereArmed) {
  std::vector<int> log;
  struct Node : corio::detail::TimerNode {
    std::vector<int>* out = nullptr;
    int id = 0;
  };
  auto main_task = [](std::vector<int>* out) -> Task<void> {
    corio::EventLoop& loop = corio::testing::current_loop();
    std::vector<Node> nodes(50);
    const std::int64_t deadline = corio::EventLoop::now_ns() + 1'000'000;
    for (int i = 0; i < 50; ++i) {
      Node& node = nodes[static_cast<std::size_t>(i)];
      node.out = out;
      node.id = i;
      node.deadline_ns = deadline;
      node.fire = [](corio::detail::TimerNode* self) noexcept {
        auto* me = static_cast<Node*>(self);
        me->out->push_back(me->id);
      };
      loop.add_timer(node);
    }
    co_await corio::sleep(5ms);
  };
  corio::run(main_task(&log));
  ASSERT_EQ(log.size(), 50U);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(log[static_cast<std::size_t>(i)], i);
}

TEST(Sleep, SameDurationSleepersWakeInStartOrder) {
  std::vector<int> log;
  auto main_task = [](std::vector<int>* out) -> Task<void> {
    std::vector<Task<void>> tasks;
    // More than one clock reading's worth (256) of sleeps started in one batch.
    for (int i = 0; i < 1000; ++i) tasks.push_back(sleep_then_log(2ms, i, out));
    co_await corio::gather(std::move(tasks));
  };
  corio::run(main_task(&log));
  ASSERT_EQ(log.size(), 1000U);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(log[static_cast<std::size_t>(i)], i);
}

TEST(Sleep, ZeroSleepYieldsToOtherReadyTasks) {
  std::vector<int> log;
  auto other = [](std::vector<int>* out) -> Task<void> {
    out->push_back(2);
    co_return;
  };
  auto main_task = [](Task<void> task, std::vector<int>* out) -> Task<void> {
    auto handle = corio::spawn(std::move(task));
    out->push_back(1);
    co_await corio::sleep(0ms);
    out->push_back(3);
    co_await handle;
  };
  corio::run(main_task(other(&log), &log));
  EXPECT_EQ(log, (std::vector<int>{1, 2, 3}));
}

TEST(Sleep, SleepsAtLeastTheDuration) {
  auto main_task = []() -> Task<std::int64_t> {
    const std::int64_t start = corio::EventLoop::now_ns();
    co_await corio::sleep(5ms);
    co_return corio::EventLoop::now_ns() - start;
  };
  EXPECT_GE(corio::run(main_task()), 5'000'000);
}

// A sleep counts from a clock reading taken within a few resumes of its call (16 at most),
// not from the end of the batch that started it: here the sleeper's batch goes on with 60
// tasks of 2 ms each. Its 50 ms sleep is due about 80 ms after the call, while that batch
// still runs, so it must end right after the batch does, not 50 ms after it. Measured from the
// batch's real end, so that a loaded machine, which stretches the batch, does not fail it.
constexpr int kBusyTasks = 60;
constexpr std::int64_t kBusyNs = 2'000'000;
constexpr std::int64_t kLongSleepNs = 50'000'000;

struct LongBatchTimes {
  std::int64_t asked_at = 0;
  std::int64_t woke_at = 0;
  std::int64_t batch_ended_at = 0;  // when the last busy task finished
};

Task<void> sleep_and_time(LongBatchTimes* times) {
  times->asked_at = corio::EventLoop::now_ns();
  co_await corio::sleep(std::chrono::nanoseconds(kLongSleepNs));
  times->woke_at = corio::EventLoop::now_ns();
}

Task<void> spin_busy(LongBatchTimes* times) {
  const std::int64_t until = corio::EventLoop::now_ns() + kBusyNs;
  while (corio::EventLoop::now_ns() < until) {
  }
  times->batch_ended_at = corio::EventLoop::now_ns();
  co_return;
}

Task<LongBatchTimes> sleep_beside_a_long_batch() {
  LongBatchTimes times;
  corio::TaskGroup group;
  group.spawn(sleep_and_time(&times));
  for (int i = 0; i < kBusyTasks; ++i) group.spawn(spin_busy(&times));
  co_await group.join();  // the sleeper and the busy tasks run next, in one batch
  co_return times;
}

TEST(Sleep, CountsFromNearItsCallNotFromTheEndOfALongBatch) {
  const LongBatchTimes times = corio::run(sleep_beside_a_long_batch());
  EXPECT_GE(times.woke_at - times.asked_at, kLongSleepNs);
  // Counted from the batch's end, it would wake kLongSleepNs after it or later.
  EXPECT_LT(times.woke_at - times.batch_ended_at, kLongSleepNs - 20'000'000)
      << "the batch took " << (times.batch_ended_at - times.asked_at) / 1'000'000 << " ms";
}

TEST(Sleep, CancelledInTheBatchThatStartedItLeavesNoTimer) {
  // The sleep's deadline is set after the chunk of resumes that started it (event_loop.cpp,
  // kResumesPerClockReading); a cancel() in that chunk, while the timer is still parked, must
  // still take it out.
  auto main_task = []() -> Task<std::size_t> {
    auto sleeper = corio::spawn([]() -> Task<void> { co_await corio::sleep(1h); }());
    co_await corio::yield_now();  // the sleeper starts its sleep, then this task runs
    sleeper.cancel();
    bool cancelled = false;
    try {
      co_await sleeper;
    } catch (const corio::CancelledError&) {
      cancelled = true;
    }
    EXPECT_TRUE(cancelled);
    co_return corio::EventLoop::current()->pending_timers();
  };
  EXPECT_EQ(corio::run(main_task()), 0U);
}

TEST(Sleep, ALaterSleepEndsAfterTheEarliestOneWasCancelledWhileTheLoopSlept) {
  // The loop's timerfd is armed for the 3 ms sleep; a to_thread() call wakes the loop first,
  // the 3 ms sleep is cancelled, and the main task sleeps 6 ms. The loop keeps the timerfd at
  // 3 ms (an earlier time still to come), wakes then with nothing due, and must arm 6 ms.
  auto main_task = []() -> Task<std::int64_t> {
    const std::int64_t start = corio::EventLoop::now_ns();
    auto early = corio::spawn([]() -> Task<void> { co_await corio::sleep(3ms); }());
    co_await corio::to_thread([] { std::this_thread::sleep_for(1ms); });
    early.cancel();
    try {
      co_await early;
    } catch (const corio::CancelledError&) {
    }
    co_await corio::sleep(6ms);
    co_return corio::EventLoop::now_ns() - start;
  };
  EXPECT_GE(corio::run(main_task()), 6'000'000);
}

TEST(YieldNow, RunsEveryOtherReadyTaskFirst) {
  std::vector<int> log;
  auto ping = [](std::vector<int>* out, int id) -> Task<void> {
    for (int i = 0; i < 3; ++i) {
      out->push_back(id);
      co_await corio::yield_now();
    }
  };
  auto main_task = [](Task<void> a, Task<void> b) -> Task<void> {
    co_await corio::gather(std::move(a), std::move(b));
  };
  corio::run(main_task(ping(&log, 1), ping(&log, 2)));
  EXPECT_EQ(log, (std::vector<int>{1, 2, 1, 2, 1, 2}));
}

}  // namespace
