#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include <corio/corio.hpp>
#include <corio/task.hpp>

#include "test_support.hpp"

namespace {

using corio::Task;

Task<int> answer(int* runs) {
  ++*runs;
  co_return 42;
}

Task<std::string> throws_logic_error() {
  throw std::logic_error("boom");
  co_return "unreachable";
}

Task<long> nested(long depth) {
  if (depth == 0) co_return 0;
  co_return 1 + co_await nested(depth - 1);
}

Task<void> increment(int& value) {
  ++value;
  co_return;
}

TEST(Task, IsLazyUntilAwaited) {
  int runs = 0;
  auto outer = [](int* counter) -> Task<int> {
    Task<int> task = answer(counter);
    const int before = *counter;
    const int value = co_await std::move(task);
    co_return before * 100 + value;
  };
  EXPECT_EQ(corio::run(outer(&runs)), 42);  // 0 runs before the await, then 42
  EXPECT_EQ(runs, 1);
}

TEST(Task, NeverAwaitedTaskNeverRunsAndFreesItsFrame) {
  int runs = 0;
  {
    Task<int> task = answer(&runs);
  }
  EXPECT_EQ(runs, 0);
}

TEST(Task, ExceptionPropagatesToTheAwaiter) {
  auto outer = []() -> Task<std::string> {
    try {
      co_await throws_logic_error();
    } catch (const std::logic_error& e) {
      co_return std::string("caught ") + e.what();
    }
    co_return "not caught";
  };
  EXPECT_EQ(corio::run(outer()), "caught boom");
}

TEST(Task, VoidTaskRuns) {
  auto outer = []() -> Task<int> {
    int value = 0;
    co_await increment(value);
    co_await increment(value);
    co_return value;
  };
  EXPECT_EQ(corio::run(outer()), 2);
}

// Symmetric transfer: each await and each completion is a tail call, so a million nested
// awaits need no stack (a recursive resume would overflow an 8 MiB stack long before).
TEST(Task, MillionNestedAwaitsDoNotOverflowTheStack) {
  EXPECT_EQ(corio::run(nested(1'000'000)), 1'000'000);
}

TEST(Task, MoveOnlyResult) {
  auto make = []() -> Task<std::unique_ptr<int>> { co_return std::make_unique<int>(7); };
  auto outer = [](Task<std::unique_ptr<int>> inner) -> Task<int> {
    auto pointer = co_await std::move(inner);
    co_return *pointer;
  };
  EXPECT_EQ(corio::run(outer(make())), 7);
}

}  // namespace
