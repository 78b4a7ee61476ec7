#include <chrono>
#include <vector>

#include <gtest/gtest.h>

#include <corio/corio.hpp>
#include <corio/mutex.hpp>

#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
using corio::Task;

Task<void> critical_section(corio::Mutex* mutex, int* inside, int* violations, int* total) {
  for (int i = 0; i < 5; ++i) {
    auto guard = co_await mutex->lock();
    if (++*inside != 1) ++*violations;
    co_await corio::yield_now();  // suspend while holding the lock
    --*inside;
    ++*total;
  }
}

TEST(Mutex, ExcludesAcrossSuspensionPoints) {
  int inside = 0;
  int violations = 0;
  int total = 0;
  auto main_task = [](int* in, int* bad, int* sum) -> Task<void> {
    corio::Mutex mutex;
    std::vector<Task<void>> tasks;
    for (int i = 0; i < 4; ++i) tasks.push_back(critical_section(&mutex, in, bad, sum));
    co_await corio::gather(std::move(tasks));
    EXPECT_FALSE(mutex.locked());
  };
  corio::run(main_task(&inside, &violations, &total));
  EXPECT_EQ(violations, 0);
  EXPECT_EQ(total, 20);
}

TEST(Mutex, GuardUnlocksWhenDestroyedOrUnlocked) {
  auto main_task = []() -> Task<void> {
    corio::Mutex mutex;
    {
      auto guard = co_await mutex.lock();
      EXPECT_TRUE(mutex.locked());
      EXPECT_FALSE(mutex.try_lock().has_value());
    }
    EXPECT_FALSE(mutex.locked());
    auto guard = co_await mutex.lock();
    guard.unlock();
    EXPECT_FALSE(mutex.locked());
    EXPECT_FALSE(guard.owns_lock());
  };
  corio::run(main_task());
}

Task<void> lock_and_log(corio::Mutex* mutex, std::vector<int>* log, int id) {
  auto guard = co_await mutex->lock();
  log->push_back(id);
  co_await corio::yield_now();
}

TEST(Mutex, OwnershipPassesFirstComeFirstServed) {
  std::vector<int> log;
  auto main_task = [](std::vector<int>* out) -> Task<void> {
    corio::Mutex mutex;
    auto held = co_await mutex.lock();
    std::vector<corio::JoinHandle<void>> handles;
    for (int i = 0; i < 4; ++i) handles.push_back(corio::spawn(lock_and_log(&mutex, out, i)));
    co_await corio::yield_now();
    held.unlock();
    for (auto& handle : handles) co_await handle;
  };
  corio::run(main_task(&log));
  EXPECT_EQ(log, (std::vector<int>{0, 1, 2, 3}));
}

TEST(Mutex, CancelledWaiterDoesNotTakeTheLock) {
  std::vector<int> log;
  auto main_task = [](std::vector<int>* out) -> Task<bool> {
    corio::Mutex mutex;
    auto held = co_await mutex.lock();
    auto cancelled = corio::spawn(lock_and_log(&mutex, out, 1));
    auto next = corio::spawn(lock_and_log(&mutex, out, 2));
    co_await corio::yield_now();
    cancelled.cancel();
    co_await corio::yield_now();
    held.unlock();  // goes to `next`
    co_await next;
    try {
      co_await cancelled;
    } catch (const corio::CancelledError&) {
    }
    co_return mutex.locked();
  };
  EXPECT_FALSE(corio::run(main_task(&log)));
  EXPECT_EQ(log, (std::vector<int>{2}));
}

}  // namespace
