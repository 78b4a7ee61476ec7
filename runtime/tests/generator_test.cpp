#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <corio/corio.hpp>
#include <corio/generator.hpp>

#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
using corio::Generator;
using corio::Task;
using corio::testing::Counted;

Generator<int> ticks(int count) {
  for (int i = 0; i < count; ++i) {
    co_await corio::sleep(1ms);  // awaits between yields
    co_yield i;
  }
}

TEST(Generator, YieldsEachValueThenNullopt) {
  auto main_task = []() -> Task<std::vector<int>> {
    std::vector<int> out;
    auto gen = ticks(4);
    while (auto value = co_await gen.next()) out.push_back(*value);
    EXPECT_FALSE((co_await gen.next()).has_value());  // stays finished
    co_return out;
  };
  EXPECT_EQ(corio::run(main_task()), (std::vector<int>{0, 1, 2, 3}));
}

Generator<std::string> fails_after_one() {
  co_yield "first";
  throw std::runtime_error("generator failed");
}

TEST(Generator, ExceptionComesOutOfNext) {
  auto main_task = []() -> Task<std::string> {
    auto gen = fails_after_one();
    std::string seen = *co_await gen.next();
    try {
      co_await gen.next();
    } catch (const std::runtime_error& e) {
      seen += std::string(" then ") + e.what();
    }
    co_return seen;
  };
  EXPECT_EQ(corio::run(main_task()), "first then generator failed");
}

Generator<int> counted_forever() {
  Counted guard;
  for (int i = 0;; ++i) co_yield i;
}

TEST(Generator, DestroyingItMidwayRunsItsDestructors) {
  Counted::reset();
  auto main_task = []() -> Task<int> {
    int sum = 0;
    {
      auto gen = counted_forever();
      for (int i = 0; i < 3; ++i) sum += *co_await gen.next();
      EXPECT_EQ(Counted::alive, 1);
    }
    EXPECT_EQ(Counted::alive, 0);
    co_return sum;
  };
  EXPECT_EQ(corio::run(main_task()), 3);
}

Task<int> consume_ticks() {
  int sum = 0;
  auto gen = ticks(1'000'000);
  while (auto value = co_await gen.next()) sum += *value;
  co_return sum;
}

TEST(Generator, BodyIsCancelledWithTheConsumingTask) {
  auto main_task = []() -> Task<bool> {
    auto handle = corio::spawn(consume_ticks());
    co_await corio::sleep(5ms);
    handle.cancel();
    try {
      co_await handle;
    } catch (const corio::CancelledError&) {
      co_return true;
    }
    co_return false;
  };
  EXPECT_TRUE(corio::run(main_task()));
}

}  // namespace
