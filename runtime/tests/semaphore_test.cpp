#include <algorithm>
#include <chrono>
#include <vector>

#include <gtest/gtest.h>

#include <corio/corio.hpp>
#include <corio/semaphore.hpp>

#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
using corio::Task;

struct Occupancy {
  int now = 0;
  int peak = 0;
};

Task<void> limited_job(corio::Semaphore* semaphore, Occupancy* occupancy) {
  co_await semaphore->acquire();
  occupancy->peak = std::max(occupancy->peak, ++occupancy->now);
  co_await corio::sleep(1ms);
  --occupancy->now;
  semaphore->release();
}

TEST(Semaphore, LimitsConcurrencyToItsPermits) {
  auto main_task = []() -> Task<int> {
    corio::Semaphore semaphore(3);
    Occupancy occupancy;
    std::vector<Task<void>> jobs;
    for (int i = 0; i < 20; ++i) jobs.push_back(limited_job(&semaphore, &occupancy));
    co_await corio::gather(std::move(jobs));
    EXPECT_EQ(semaphore.value(), 3U);
    co_return occupancy.peak;
  };
  EXPECT_EQ(corio::run(main_task()), 3);
}

Task<void> acquire_and_log(corio::Semaphore* semaphore, std::vector<int>* log, int id) {
  co_await semaphore->acquire();
  log->push_back(id);
}

TEST(Semaphore, WaitersAreServedFirstComeFirstServed) {
  std::vector<int> log;
  auto main_task = [](std::vector<int>* out) -> Task<void> {
    corio::Semaphore semaphore(0);
    std::vector<corio::JoinHandle<void>> waiters;
    for (int i = 0; i < 5; ++i)
      waiters.push_back(corio::spawn(acquire_and_log(&semaphore, out, i)));
    co_await corio::yield_now();
    EXPECT_FALSE(semaphore.try_acquire());  // no barging past the queue
    for (int i = 0; i < 5; ++i) semaphore.release();
    for (auto& waiter : waiters) co_await waiter;
  };
  corio::run(main_task(&log));
  EXPECT_EQ(log, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(Semaphore, CancelledWaiterTakesNoPermitAndNoWakeUpIsLost) {
  std::vector<int> log;
  auto main_task = [](std::vector<int>* out) -> Task<std::size_t> {
    corio::Semaphore semaphore(0);
    auto first = corio::spawn(acquire_and_log(&semaphore, out, 1));
    auto second = corio::spawn(acquire_and_log(&semaphore, out, 2));
    co_await corio::yield_now();
    first.cancel();
    co_await corio::yield_now();
    semaphore.release();  // must go to `second`, not be swallowed by the cancelled waiter
    co_await second;
    try {
      co_await first;
    } catch (const corio::CancelledError&) {
    }
    co_return semaphore.value();
  };
  EXPECT_EQ(corio::run(main_task(&log)), 0U);  // the one permit is held by `second`
  EXPECT_EQ(log, (std::vector<int>{2}));
}

TEST(Semaphore, ReleaseWithoutWaitersAddsAPermit) {
  auto main_task = []() -> Task<std::size_t> {
    corio::Semaphore semaphore(1);
    co_await semaphore.acquire();
    EXPECT_TRUE(semaphore.locked());
    semaphore.release();
    semaphore.release();
    co_return semaphore.value();
  };
  EXPECT_EQ(corio::run(main_task()), 2U);
}

}  // namespace
