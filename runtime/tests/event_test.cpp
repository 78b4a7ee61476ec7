#include <vector>

#include <gtest/gtest.h>

#include <corio/corio.hpp>
#include <corio/event.hpp>

#include "test_support.hpp"

namespace {

using corio::Task;

Task<void> wait_and_log(corio::Event* event, std::vector<int>* log, int id) {
  co_await event->wait();
  log->push_back(id);
}

TEST(Event, SetWakesEveryWaiterInOrder) {
  std::vector<int> log;
  auto main_task = [](std::vector<int>* out) -> Task<void> {
    corio::Event event;
    std::vector<corio::JoinHandle<void>> waiters;
    for (int i = 0; i < 3; ++i) waiters.push_back(corio::spawn(wait_and_log(&event, out, i)));
    co_await corio::yield_now();
    EXPECT_TRUE(out->empty());
    event.set();
    for (auto& waiter : waiters) co_await waiter;
  };
  corio::run(main_task(&log));
  EXPECT_EQ(log, (std::vector<int>{0, 1, 2}));
}

TEST(Event, WaitOnASetEventDoesNotSuspend) {
  auto main_task = []() -> Task<bool> {
    corio::Event event;
    event.set();
    co_await event.wait();
    event.clear();
    co_return event.is_set();
  };
  EXPECT_FALSE(corio::run(main_task()));
}

TEST(Event, CancelledWaiterIsRemovedAndOthersStillWake) {
  std::vector<int> log;
  auto main_task = [](std::vector<int>* out) -> Task<void> {
    corio::Event event;
    auto cancelled = corio::spawn(wait_and_log(&event, out, 1));
    auto other = corio::spawn(wait_and_log(&event, out, 2));
    co_await corio::yield_now();
    cancelled.cancel();
    try {
      co_await cancelled;
    } catch (const corio::CancelledError&) {
      out->push_back(-1);
    }
    event.set();
    co_await other;
  };
  corio::run(main_task(&log));
  EXPECT_EQ(log, (std::vector<int>{-1, 2}));
}

// The waiter keeps "cancelled" in its cancel hook's pointer (wait_node.hpp): a request that
// arrives before the wait, one that arrives during it, and a wait after a cancelled one must
// each behave as if it were a flag of its own.
Task<void> wait_twice(corio::Event* event, std::vector<int>* log) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      co_await event->wait();
      log->push_back(10 + attempt);  // woken by set()
    } catch (const corio::CancelledError&) {
      log->push_back(-1 - attempt);  // the request, raised here once
    }
  }
}

TEST(Event, CancellationBeforeAndDuringAWaitIsRaisedOnceAndTheNextWaitWorks) {
  std::vector<int> log;
  auto main_task = [](std::vector<int>* out) -> Task<void> {
    corio::Event event;
    // Cancelled before its first step: the request is pending when it reaches wait().
    auto early = corio::spawn(wait_twice(&event, out));
    early.cancel();
    co_await corio::yield_now();
    EXPECT_EQ(*out, (std::vector<int>{-1}));  // its second wait is queued
    event.set();
    co_await early;
    EXPECT_EQ(*out, (std::vector<int>{-1, 11}));

    // Cancelled while queued: unlinked, resumed with the error; its next wait is a plain wait.
    event.clear();
    out->clear();
    auto queued = corio::spawn(wait_twice(&event, out));
    co_await corio::yield_now();
    queued.cancel();
    co_await corio::yield_now();
    EXPECT_EQ(*out, (std::vector<int>{-1}));
    event.set();
    co_await queued;
    EXPECT_EQ(*out, (std::vector<int>{-1, 11}));
  };
  corio::run(main_task(&log));
}

TEST(Event, PingPongHandsControlBackAndForth) {
  auto player = [](corio::Event* mine, corio::Event* theirs, int rounds, int* hits) -> Task<void> {
    for (int i = 0; i < rounds; ++i) {
      co_await mine->wait();
      mine->clear();
      ++*hits;
      theirs->set();
    }
  };
  auto main_task = [](Task<void> a, Task<void> b, corio::Event* start) -> Task<void> {
    start->set();
    co_await corio::gather(std::move(a), std::move(b));
  };
  corio::Event ping;
  corio::Event pong;
  int hits = 0;
  corio::run(
      main_task(player(&ping, &pong, 1000, &hits), player(&pong, &ping, 1000, &hits), &ping));
  EXPECT_EQ(hits, 2000);
}

}  // namespace
