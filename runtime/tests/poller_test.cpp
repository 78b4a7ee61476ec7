// corio::detail::Poller's deadline: when the timerfd must be set (timerfd_needs_setting), how
// early a long wait wakes first (early_wake_timeout), and a real poller's waits end at their
// deadline, whatever the timerfd was armed for before. A wrong decision shows as a wait that
// never ends: ctest's 30 s timeout fails the test.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <corio/detail/poller.hpp>
#include <corio/event_loop.hpp>

namespace corio::detail {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kMs = 1'000'000;

TEST(TimerfdNeedsSetting, NotWithoutADeadline) {
  EXPECT_FALSE(timerfd_needs_setting(kNoDeadline, kNoDeadline, 100));
  EXPECT_FALSE(timerfd_needs_setting(500, kNoDeadline, 100));
}

TEST(TimerfdNeedsSetting, WhenNothingIsArmed) {
  EXPECT_TRUE(timerfd_needs_setting(kNoDeadline, 200, 100));
}

TEST(TimerfdNeedsSetting, WhenArmedLaterThanTheDeadline) {
  EXPECT_TRUE(timerfd_needs_setting(300, 200, 100));
}

TEST(TimerfdNeedsSetting, WhenTheArmedTimeHasPassed) {
  // It has fired; its wake-up may have been taken by an earlier wait or poll.
  EXPECT_TRUE(timerfd_needs_setting(100, 200, 100));
  EXPECT_TRUE(timerfd_needs_setting(50, 200, 100));
  EXPECT_TRUE(timerfd_needs_setting(50, 50, 100));
}

TEST(TimerfdNeedsSetting, NotWhenArmedForTheDeadlineOrEarlierStillToCome) {
  EXPECT_FALSE(timerfd_needs_setting(200, 200, 100));
  EXPECT_FALSE(timerfd_needs_setting(150, 200, 100));  // wakes early, finds nothing due
  EXPECT_FALSE(timerfd_needs_setting(101, 1'000'000, 100));
}

std::vector<std::int64_t> rests() {
  std::vector<std::int64_t> values;
  for (std::int64_t ns = 1; ns < 1'000'000'000'000'000; ns = ns * 3 + 7) values.push_back(ns);
  for (std::int64_t us : {100, 199, 200, 201, 250, 1000, 10'000, 20'000, 3'000'000}) {
    values.push_back(us * 1000);
  }
  return values;
}

// The latest end Linux allows an epoll timeout of `ns` at nice 0: 0.1% of it (at most 100 ms;
// select_estimate_accuracy) or the thread's default 50 us timer slack, whichever is larger.
std::int64_t latest_end(std::int64_t ns) {
  return ns + std::max(std::min(ns / 1000, std::int64_t{100'000'000}), std::int64_t{50'000});
}

TEST(EarlyWakeTimeout, EndsBeforeTheDeadlineDespiteTheKernelsSlack) {
  for (const std::int64_t rest : rests()) {
    const std::int64_t asked = early_wake_timeout(rest);
    if (asked < 0) continue;
    EXPECT_GT(asked, 0) << rest;
    EXPECT_LT(latest_end(asked), rest) << rest;
  }
}

TEST(EarlyWakeTimeout, LeavesShortWaitsToTheTimerfd) {
  EXPECT_EQ(early_wake_timeout(1), -1);
  EXPECT_EQ(early_wake_timeout(200'000), -1);
  EXPECT_EQ(early_wake_timeout(200'001), 100'001);
  EXPECT_EQ(early_wake_timeout(3'000'000'000), 2'985'000'000);
}

TEST(EarlyWakeTimeout, AnyWaitReachesTheTimerfdInAFewWakeUps) {
  for (const std::int64_t rest : rests()) {
    std::int64_t left = rest;
    int wake_ups = 0;
    for (std::int64_t asked = early_wake_timeout(left); asked >= 0;
         asked = early_wake_timeout(left)) {
      left -= asked;
      ++wake_ups;
    }
    EXPECT_LE(left, 200'000) << rest;
    EXPECT_LE(wake_ups, 7) << rest;  // a million seconds: 7; three seconds: 3
  }
}

std::int64_t now() { return EventLoop::now_ns(); }

// Waits as the loop does until the deadline has passed; returns how many waits it took.
int wait_until(Poller& poller, std::int64_t deadline) {
  int waits = 0;
  for (std::int64_t at = now(); at < deadline; at = now()) {
    EXPECT_EQ(poller.wait(deadline, at), 0);
    ++waits;
  }
  return waits;
}

TEST(Poller, AWaitEndsAtItsDeadlineAfterOneEarlyWakeUp) {
  Poller poller;
  // 2 ms: one wait that ends about 100 us early, then the timerfd's (more if the thread was
  // preempted in between, and fewer if the first wait overslept into the deadline).
  EXPECT_LE(wait_until(poller, now() + 2 * kMs), 4);
}

TEST(Poller, AWaitAfterTheLastExpiryWasTakenSetsTheTimerAgain) {
  Poller poller;
  for (int round = 0; round < 3; ++round) wait_until(poller, now() + kMs);
}

TEST(Poller, AnEarlierDeadlineIsArmedAtOnce) {
  Poller poller;
  poller.wake();
  poller.wait(now() + 3'600'000 * kMs, now());  // the wake-up ends it; an hour stays armed
  wait_until(poller, now() + kMs);
}

TEST(Poller, AnExpiryTakenByAPollIsNotReliedOn) {
  Poller poller;
  poller.wake();
  poller.wait(now() + kMs, now());  // woken at once; the timerfd stays armed for 1 ms
  std::this_thread::sleep_for(3ms);
  EXPECT_EQ(poller.poll(), 0);  // takes the expiry
  wait_until(poller, now() + kMs);
}

TEST(Poller, AnEarlierArmedDeadlineStillToComeEndsALaterWaitEarly) {
  Poller poller;
  poller.wake();
  const std::int64_t armed = now() + 2 * kMs;
  poller.wait(armed, now());  // woken at once; 2 ms stays armed
  // An hour's deadline keeps the 2 ms one (no system call); the wait ends then, and the loop
  // would find nothing due and wait again.
  EXPECT_EQ(poller.wait(now() + 3'600'000 * kMs, now()), 0);
  EXPECT_GE(now(), armed);
}

TEST(Poller, WakeEndsAWaitWithoutADeadline) {
  Poller poller;
  std::thread waker([&poller] {
    std::this_thread::sleep_for(1ms);
    poller.wake();
  });
  EXPECT_EQ(poller.wait(kNoDeadline, 0), 0);
  waker.join();
}

}  // namespace
}  // namespace corio::detail
