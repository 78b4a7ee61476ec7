#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <latch>
#include <set>
#include <stdexcept>
#include <sys/types.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include <corio/corio.hpp>
#include <corio/run_sharded.hpp>
#include <corio/thread_pool.hpp>

#include "test_support.hpp"

namespace {

using corio::Task;

struct ShardReport {
  std::size_t value = 0;
  std::thread::id thread;
  const corio::EventLoop* loop = nullptr;
};

Task<ShardReport> report(std::size_t shard) {
  co_await corio::sleep(std::chrono::milliseconds(1));  // a real trip through the shard's loop
  co_return ShardReport{.value = shard * 10,
                        .thread = std::this_thread::get_id(),
                        .loop = &corio::testing::current_loop()};
}

TEST(RunSharded, RunsEachShardOnItsOwnThreadAndLoopAndReturnsTheirValuesInOrder) {
  constexpr std::size_t kShards = 4;
  // Every shard waits (blocking its own thread, fine in a test) until all have started, so all
  // loops are alive at once: otherwise a shard that finished first could free its thread's
  // stack for the next one, whose loop would then have the same address (seen under ASan).
  std::latch all_started(static_cast<std::ptrdiff_t>(kShards));
  const std::vector<ShardReport> reports =
      corio::run_sharded(kShards, [&all_started](std::size_t shard) -> Task<ShardReport> {
        return [](std::size_t index, std::latch& started) -> Task<ShardReport> {
          started.arrive_and_wait();
          co_return co_await report(index);
        }(shard, all_started);
      });
  ASSERT_EQ(reports.size(), kShards);
  std::set<std::thread::id> threads;
  std::set<const corio::EventLoop*> loops;
  for (std::size_t shard = 0; shard < kShards; ++shard) {
    EXPECT_EQ(reports[shard].value, shard * 10);
    EXPECT_NE(reports[shard].thread, std::this_thread::get_id());
    threads.insert(reports[shard].thread);
    loops.insert(reports[shard].loop);
  }
  EXPECT_EQ(threads.size(), kShards);
  // Each shard's loop lived on its own thread's stack while the shards ran side by side; the
  // addresses would repeat if two shards had shared a loop.
  EXPECT_EQ(loops.size(), kShards);
}

TEST(RunSharded, CallsTheFactoryOnTheCallingThreadInShardOrder) {
  std::vector<std::size_t> calls;
  const auto caller = std::this_thread::get_id();
  bool all_on_caller = true;
  auto factory = [&](std::size_t shard) -> Task<void> {
    calls.push_back(shard);
    all_on_caller = all_on_caller && std::this_thread::get_id() == caller;
    return []() -> Task<void> { co_return; }();
  };
  corio::run_sharded(3, factory);
  EXPECT_EQ(calls, (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_TRUE(all_on_caller);
}

Task<void> mark_ran(std::array<std::atomic<int>, 3>* runs, std::size_t shard) {
  co_await corio::yield_now();
  (*runs)[shard].fetch_add(1);
}

TEST(RunSharded, RunsVoidShardsOnceEach) {
  std::array<std::atomic<int>, 3> runs{};
  corio::run_sharded(3, [&runs](std::size_t shard) { return mark_ran(&runs, shard); });
  for (const auto& count : runs) EXPECT_EQ(count.load(), 1);
}

TEST(RunSharded, ZeroShardsIsRejected) {
  EXPECT_THROW(corio::run_sharded(0, report), std::invalid_argument);
}

struct FailureState {
  std::atomic<bool> failed{false};
  std::atomic<int> others_finished{0};
};

// Shard 1 fails at once; the others finish only after it has failed, so the exception can
// only surface after they are done if run_sharded really waits for every shard.
Task<int> fail_or_outlive(FailureState* state, std::size_t shard) {
  if (shard == 1) {
    state->failed.store(true);
    throw std::runtime_error("shard 1 failed");
  }
  while (!state->failed.load()) co_await corio::sleep(std::chrono::milliseconds(1));
  co_await corio::sleep(std::chrono::milliseconds(1));
  state->others_finished.fetch_add(1);
  co_return 0;
}

TEST(RunSharded, RethrowsAShardsExceptionAfterEveryShardFinished) {
  FailureState state;
  try {
    corio::run_sharded(4, [&state](std::size_t shard) { return fail_or_outlive(&state, shard); });
    FAIL() << "run_sharded returned normally";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "shard 1 failed");
  }
  EXPECT_EQ(state.others_finished.load(), 3);
}

// Shards share a ThreadPool: each task hops onto it and back to its own shard's loop.
Task<std::int64_t> hop_many(corio::ThreadPool* pool, std::size_t shard) {
  corio::EventLoop& loop = corio::testing::current_loop();
  const pid_t loop_thread = ::gettid();  // not this_thread::get_id(): see thread_pool_test.cpp
  std::int64_t total = 0;
  for (std::int64_t i = 0; i < 100; ++i) {
    co_await pool->schedule();
    const std::int64_t value = static_cast<std::int64_t>(shard) * 1000 + i;
    co_await corio::resume_on(loop);
    if (::gettid() != loop_thread) co_return -1;
    total += value;
  }
  co_return total;
}

TEST(RunSharded, ShardsShareAThreadPoolAndEachComesBackToItsOwnLoop) {
  corio::ThreadPool pool(2);
  const std::vector<std::int64_t> totals =
      corio::run_sharded(3, [&pool](std::size_t shard) { return hop_many(&pool, shard); });
  ASSERT_EQ(totals.size(), 3U);
  for (std::size_t shard = 0; shard < 3; ++shard) {
    EXPECT_EQ(totals[shard], static_cast<std::int64_t>(shard) * 100'000 + 4950);
  }
}

}  // namespace
