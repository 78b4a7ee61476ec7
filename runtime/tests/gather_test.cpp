#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include <corio/corio.hpp>
#include <corio/gather.hpp>

#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
using corio::Task;
using corio::testing::Counted;

// A child's slot holds its coroutine, then its value, never both (gather.hpp): 100,000 sleeping
// children of io/sleep_fanout are 2.4 MB less than with a slot for each.
static_assert(sizeof(corio::detail::GatherChild<std::int64_t>) == 40);
static_assert(sizeof(corio::detail::GatherChild<void>) == 40);

Task<int> after(std::chrono::milliseconds delay, int value) {
  co_await corio::sleep(delay);
  co_return value;
}

Task<void> nothing() { co_return; }

Task<int> fail_after(std::chrono::milliseconds delay, std::string message) {
  co_await corio::sleep(delay);
  throw std::runtime_error(message);
}

TEST(Gather, VectorResultsComeInInputOrder) {
  auto main_task = []() -> Task<std::vector<int>> {
    std::vector<Task<int>> tasks;
    tasks.push_back(after(20ms, 1));
    tasks.push_back(after(0ms, 2));
    tasks.push_back(after(10ms, 3));
    co_return co_await corio::gather(std::move(tasks));
  };
  EXPECT_EQ(corio::run(main_task()), (std::vector<int>{1, 2, 3}));
}

TEST(Gather, VariadicGivesATupleAndVoidBecomesMonostate) {
  auto main_task = []() -> Task<int> {
    auto [a, none, b] = co_await corio::gather(after(5ms, 1), nothing(), after(1ms, 2));
    static_assert(std::is_same_v<decltype(none), std::monostate>);
    co_return a * 10 + b;
  };
  EXPECT_EQ(corio::run(main_task()), 12);
}

TEST(Gather, EmptyVectorCompletesAtOnce) {
  auto main_task = []() -> Task<std::size_t> {
    auto results = co_await corio::gather(std::vector<Task<int>>{});
    co_return results.size();
  };
  EXPECT_EQ(corio::run(main_task()), 0U);
}

TEST(Gather, ChildrenRunConcurrently) {
  // 50 children of 20 ms each: concurrently about 20 ms, sequentially a second. The bound is
  // loose on purpose (shared machines); it only tells concurrent from sequential.
  auto main_task = []() -> Task<std::int64_t> {
    std::vector<Task<int>> tasks;
    for (int i = 0; i < 50; ++i) tasks.push_back(after(20ms, i));
    const std::int64_t start = corio::EventLoop::now_ns();
    co_await corio::gather(std::move(tasks));
    co_return corio::EventLoop::now_ns() - start;
  };
  EXPECT_LT(corio::run(main_task()), 500'000'000);
}

Task<void> counted_sleep(std::chrono::milliseconds delay, int* finished) {
  Counted guard;
  co_await corio::sleep(delay);
  ++*finished;
}

Task<int> counted_fail() {
  co_await corio::sleep(1ms);
  throw std::runtime_error("first");
}

TEST(Gather, WaitsForAllChildrenBeforeRethrowing) {
  Counted::reset();
  int finished = 0;
  auto main_task = [](int* done) -> Task<std::string> {
    try {
      co_await corio::gather(counted_fail(), counted_sleep(30ms, done), counted_sleep(20ms, done));
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(*done, 2);           // the slow siblings finished first
      EXPECT_EQ(Counted::alive, 0);  // and their frames are gone
      co_return e.what();
    }
    co_return "no exception";
  };
  EXPECT_EQ(corio::run(main_task(&finished)), "first");
}

TEST(Gather, RethrowsTheFirstExceptionInTimeNotInPosition) {
  auto main_task = []() -> Task<std::string> {
    std::vector<Task<int>> tasks;
    tasks.push_back(fail_after(20ms, "late"));
    tasks.push_back(fail_after(1ms, "early"));
    try {
      co_await corio::gather(std::move(tasks));
    } catch (const std::runtime_error& e) {
      co_return e.what();
    }
    co_return "none";
  };
  EXPECT_EQ(corio::run(main_task()), "early");
}

TEST(Gather, ChildrenStartEagerlyInOrder) {
  std::vector<int> log;
  auto child = [](std::vector<int>* out, int id) -> Task<void> {
    out->push_back(id);
    co_await corio::yield_now();
    out->push_back(id + 10);
  };
  auto main_task = [](Task<void> a, Task<void> b, std::vector<int>* out) -> Task<void> {
    out->push_back(0);
    co_await corio::gather(std::move(a), std::move(b));
    out->push_back(99);
  };
  corio::run(main_task(child(&log, 1), child(&log, 2), &log));
  EXPECT_EQ(log, (std::vector<int>{0, 1, 2, 11, 12, 99}));
}

Task<void> gather_two_sleepers(int* cancelled) {
  auto sleeper = [](int* count) -> Task<void> {
    try {
      co_await corio::sleep(24h);
    } catch (const corio::CancelledError&) {
      ++*count;
      throw;
    }
  };
  co_await corio::gather(sleeper(cancelled), sleeper(cancelled));
}

TEST(Gather, CancellingTheAwaiterCancelsEveryChild) {
  int cancelled = 0;
  auto main_task = [](int* count) -> Task<bool> {
    auto handle = corio::spawn(gather_two_sleepers(count));
    co_await corio::yield_now();
    handle.cancel();
    try {
      co_await handle;
    } catch (const corio::CancelledError&) {
      co_return true;
    }
    co_return false;
  };
  EXPECT_TRUE(corio::run(main_task(&cancelled)));
  EXPECT_EQ(cancelled, 2);
}

Task<long> skynet_task(long num, long size) {
  if (size == 1) co_return num;
  std::vector<Task<long>> children;
  children.reserve(10);
  for (long i = 0; i < 10; ++i) children.push_back(skynet_task(num + i * (size / 10), size / 10));
  long sum = 0;
  for (long value : co_await corio::gather(std::move(children))) sum += value;
  co_return sum;
}

TEST(Gather, SkynetOfTenThousandLeavesSumsCorrectly) {
  EXPECT_EQ(corio::run(skynet_task(0, 10'000)), 49'995'000L);
}

}  // namespace

namespace {

Task<std::unique_ptr<int>> boxed(int value) {
  if (value % 2 == 0) co_await corio::yield_now();  // half of them finish on a later turn
  co_return std::make_unique<int>(value);
}

Task<bool> boxed_results_come_back_in_order(int children) {
  std::vector<Task<std::unique_ptr<int>>> tasks;
  tasks.reserve(static_cast<std::size_t>(children));
  for (int i = 0; i < children; ++i) tasks.push_back(boxed(i));
  const std::vector<std::unique_ptr<int>> results = co_await corio::gather(std::move(tasks));
  if (results.size() != static_cast<std::size_t>(children)) co_return false;
  for (int i = 0; i < children; ++i) {
    if (!results[static_cast<std::size_t>(i)] || *results[static_cast<std::size_t>(i)] != i) {
      co_return false;
    }
  }
  co_return true;
}

}  // namespace

// The children's array comes from the frame pool up to 1 KiB and from operator new beyond:
// sizes on both sides of that line, with move-only results, half of them suspending once.
TEST(Gather, MoveOnlyResultsOfAnyNumberOfChildrenComeBackInOrder) {
  for (const int children : {1, 2, 15, 16, 17, 100, 1000}) {
    EXPECT_TRUE(corio::run(boxed_results_come_back_in_order(children))) << children << " children";
  }
}

namespace {

// A result whose move throws once it is out of the child's frame (its second move, when the
// gather takes it): the child's value cannot be taken, which is that child's error.
struct ThrowsOnMove {
  int value = 0;
  int moves = 0;
  explicit ThrowsOnMove(int v) : value(v) {}
  // NOLINTNEXTLINE(performance-noexcept-move-constructor): throwing is what it is for
  ThrowsOnMove(ThrowsOnMove&& other) : value(other.value), moves(other.moves + 1) {
    if (value < 0 && moves >= 2) throw std::runtime_error("moved a negative value");
  }
  ThrowsOnMove& operator=(ThrowsOnMove&&) = delete;
  ThrowsOnMove(const ThrowsOnMove&) = delete;
  ThrowsOnMove& operator=(const ThrowsOnMove&) = delete;
  ~ThrowsOnMove() = default;
};

Task<ThrowsOnMove> make_throws_on_move(int value) { co_return ThrowsOnMove(value); }

Task<std::string> gather_a_result_that_throws_when_moved() {
  std::vector<Task<ThrowsOnMove>> tasks;
  tasks.push_back(make_throws_on_move(1));
  tasks.push_back(make_throws_on_move(-1));
  try {
    co_await corio::gather(std::move(tasks));
  } catch (const std::runtime_error& error) {
    co_return error.what();
  }
  co_return "no error";
}

}  // namespace

TEST(Gather, AResultWhoseMoveThrowsIsThatChildsError) {
  EXPECT_EQ(corio::run(gather_a_result_that_throws_when_moved()), "moved a negative value");
}

namespace {

Task<std::string> long_text_now() {
  co_return std::string(100, 'x');  // beyond the small-string buffer: a leak would show
}

// Refuses cancellation once: the loop's shutdown finds it stuck and destroys its frame.
Task<std::string> stuck_until_destroyed(corio::Event* never) {
  bool cancelled = false;
  try {
    co_await never->wait();
  } catch (const corio::CancelledError&) {
    cancelled = true;
  }
  if (cancelled) co_await never->wait();
  co_return "unreachable";
}

Task<void> gather_one_done_one_stuck(corio::Event* never, bool* started) {
  std::vector<Task<std::string>> tasks;
  tasks.push_back(long_text_now());
  tasks.push_back(stuck_until_destroyed(never));
  *started = true;
  co_await corio::gather(std::move(tasks));
}

Task<bool> leave_a_gather_behind(corio::Event* never) {
  bool started = false;
  corio::spawn(gather_one_done_one_stuck(never, &started));  // detached
  co_await corio::yield_now();
  co_return started;
}

}  // namespace

// A gather torn down with one child finished (its result in the child's slot) and one still
// suspended (its coroutine there): both are destroyed, whichever the slot holds (ASan checks
// for a leak or a double destruction).
TEST(Gather, TornDownWithOneChildFinishedAndOneSuspendedDestroysBoth) {
  corio::Event never;
  EXPECT_TRUE(corio::run(leave_a_gather_behind(&never)));
}
