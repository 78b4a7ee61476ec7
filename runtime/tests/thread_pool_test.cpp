#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <sys/types.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <corio/corio.hpp>
#include <corio/thread_pool.hpp>

#include "test_support.hpp"

namespace {

using corio::Task;
using corio::ThreadPool;

// The calling thread's kernel id. Not std::this_thread::get_id(): glibc declares
// pthread_self() __attribute__((const)), so clang 14 merges two calls on either side of a
// co_await that changed threads, and the coroutine sees the thread it left.
pid_t thread_id() noexcept { return ::gettid(); }

struct Threads {
  pid_t loop;
  pid_t worker;
  pid_t back;
};

Task<Threads> hop_and_report(ThreadPool* pool) {
  corio::EventLoop& loop = corio::testing::current_loop();
  Threads seen;
  seen.loop = thread_id();
  co_await pool->schedule();
  seen.worker = thread_id();
  co_await corio::resume_on(loop);
  seen.back = thread_id();
  co_return seen;
}

TEST(ThreadPool, ScheduleContinuesOnAWorkerAndResumeOnComesBackToTheLoop) {
  ThreadPool pool(2);
  const Threads seen = corio::run(hop_and_report(&pool));
  EXPECT_EQ(seen.loop, thread_id());
  EXPECT_NE(seen.worker, seen.loop);
  EXPECT_EQ(seen.back, seen.loop);
}

TEST(ThreadPool, ZeroThreadsIsRejected) { EXPECT_THROW(ThreadPool(0), std::invalid_argument); }

// The sum of first..last-1, computed on a worker; counts tasks that were not back on the loop.
Task<std::int64_t> sum_on_pool(ThreadPool* pool, std::int64_t first, std::int64_t last,
                               std::atomic<int>* not_back_on_loop) {
  corio::EventLoop& loop = corio::testing::current_loop();
  const auto loop_thread = thread_id();
  co_await pool->schedule();
  std::int64_t sum = 0;
  for (std::int64_t i = first; i < last; ++i) sum += i;
  co_await corio::resume_on(loop);
  if (thread_id() != loop_thread) not_back_on_loop->fetch_add(1);
  co_return sum;
}

Task<std::int64_t> sum_in_chunks(ThreadPool* pool, std::int64_t chunks, std::int64_t chunk,
                                 std::atomic<int>* not_back_on_loop) {
  std::vector<Task<std::int64_t>> tasks;
  tasks.reserve(static_cast<std::size_t>(chunks));
  for (std::int64_t c = 0; c < chunks; ++c) {
    tasks.push_back(sum_on_pool(pool, c * chunk, (c + 1) * chunk, not_back_on_loop));
  }
  std::int64_t total = 0;
  for (const std::int64_t sum : co_await corio::gather(std::move(tasks))) total += sum;
  co_return total;
}

TEST(ThreadPool, ManyTasksHoppingAtOnceComputeTheRightTotal) {
  constexpr std::int64_t kTasks = 1000;
  constexpr std::int64_t kChunk = 10'000;
  constexpr std::int64_t kLast = kTasks * kChunk;
  ThreadPool pool(4);
  std::atomic<int> not_back_on_loop{0};
  EXPECT_EQ(corio::run(sum_in_chunks(&pool, kTasks, kChunk, &not_back_on_loop)),
            kLast * (kLast - 1) / 2);
  EXPECT_EQ(not_back_on_loop.load(), 0);
}

TEST(ThreadPool, RunReturnsTheFunctionsValueComputedOnAWorker) {
  auto main_task = [](ThreadPool* pool) -> Task<bool> {
    const auto loop_thread = thread_id();
    const auto worker_thread = co_await pool->run([] { return thread_id(); });
    co_return (worker_thread != loop_thread) && (thread_id() == loop_thread);
  };
  ThreadPool pool(1);
  EXPECT_TRUE(corio::run(main_task(&pool)));
}

TEST(ThreadPool, RunRethrowsTheFunctionsExceptionOnTheLoop) {
  auto main_task = [](ThreadPool* pool) -> Task<std::string> {
    const auto loop_thread = thread_id();
    try {
      co_await pool->run([]() -> int { throw std::out_of_range("from a worker"); });
    } catch (const std::out_of_range& e) {
      if (thread_id() != loop_thread) co_return "caught off the loop";
      co_return e.what();
    }
    co_return "nothing thrown";
  };
  ThreadPool pool(1);
  EXPECT_EQ(corio::run(main_task(&pool)), "from a worker");
}

Task<int> throw_after(int value) {
  if (value > 0) throw std::domain_error("thrown by a task on a worker");
  co_return value;
}

TEST(ThreadPool, OnPoolRethrowsTheTasksExceptionOnTheLoop) {
  auto main_task = [](ThreadPool* pool) -> Task<std::string> {
    const auto loop_thread = thread_id();
    try {
      co_await corio::on_pool(*pool, throw_after(1));
    } catch (const std::domain_error& e) {
      if (thread_id() != loop_thread) co_return "caught off the loop";
      co_return e.what();
    }
    co_return "nothing thrown";
  };
  ThreadPool pool(1);
  EXPECT_EQ(corio::run(main_task(&pool)), "thrown by a task on a worker");
}

Task<pid_t> worker_id(ThreadPool* second) {
  // On a worker: awaiting another Task, and hopping onto another pool, are both allowed.
  co_await second->schedule();
  co_return thread_id();
}

TEST(ThreadPool, OnPoolRunsATaskThatMayHopOntoAnotherPool) {
  auto main_task = [](ThreadPool* first, ThreadPool* second) -> Task<bool> {
    const auto loop_thread = thread_id();
    const auto ran_on = co_await corio::on_pool(*first, worker_id(second));
    co_return (ran_on != loop_thread) && (thread_id() == loop_thread);
  };
  ThreadPool first(1);
  ThreadPool second(1);
  EXPECT_TRUE(corio::run(main_task(&first, &second)));
}

// Without the hop counted as a remote operation, the loop would find nothing ready, no timer
// and no I/O the moment main suspends, and run() would throw "deadlock".
TEST(ThreadPool, RunDoesNotReportADeadlockWhileTheOnlyTaskIsOnAWorker) {
  auto main_task = [](ThreadPool* pool) -> Task<std::int64_t> {
    co_return co_await pool->run([] {
      std::int64_t sum = 0;
      for (std::int64_t i = 0; i < 1'000'000; ++i) sum += i % 7;
      return sum;
    });
  };
  ThreadPool pool(1);
  std::int64_t expected = 0;
  for (std::int64_t i = 0; i < 1'000'000; ++i) expected += i % 7;
  EXPECT_EQ(corio::run(main_task(&pool)), expected);
}

struct AwayState {
  std::atomic<bool> on_worker{false};
  std::atomic<bool> main_returned{false};
  std::atomic<bool> worker_finished{false};
  bool cancelled_on_return = false;
  bool back_on_loop = false;
};

Task<void> away_until_main_returns(ThreadPool* pool, AwayState* state) {
  corio::testing::Counted counted;
  corio::EventLoop& loop = corio::testing::current_loop();
  const auto loop_thread = thread_id();
  co_await pool->schedule();
  state->on_worker.store(true);
  while (!state->main_returned.load()) std::this_thread::yield();
  state->worker_finished.store(true);
  try {
    co_await corio::resume_on(loop);
  } catch (const corio::CancelledError&) {
    state->cancelled_on_return = true;
    state->back_on_loop = thread_id() == loop_thread;
    throw;
  }
}

// run() cancels the tasks still running when main returns; this one is on a worker, so the
// request waits for it to hop back, and run() waits for that.
TEST(ThreadPool, RunWaitsForATaskThatIsAwayOnAWorker) {
  auto main_task = [](ThreadPool* pool, AwayState* state) -> Task<void> {
    corio::spawn(away_until_main_returns(pool, state));
    while (!state->on_worker.load()) co_await corio::yield_now();
    state->main_returned.store(true);
  };
  corio::testing::Counted::reset();
  ThreadPool pool(1);
  AwayState state;
  corio::run(main_task(&pool, &state));
  EXPECT_TRUE(state.worker_finished.load());
  EXPECT_TRUE(state.cancelled_on_return);
  EXPECT_TRUE(state.back_on_loop);
  EXPECT_EQ(corio::testing::Counted::alive, 0);
  EXPECT_EQ(corio::testing::Counted::destroyed, 1);
}

struct CancelState {
  std::atomic<bool> on_worker{false};
  std::atomic<bool> release{false};
  std::atomic<bool> work_done{false};
};

Task<int> work_until_released(ThreadPool* pool, CancelState* state) {
  corio::EventLoop& loop = corio::testing::current_loop();
  co_await pool->schedule();
  state->on_worker.store(true);
  while (!state->release.load()) std::this_thread::yield();
  state->work_done.store(true);
  co_await corio::resume_on(loop);  // raises the cancellation requested meanwhile
  co_return 1;
}

TEST(ThreadPool, CancellationIsRaisedWhenTheTaskHopsBack) {
  auto main_task = [](ThreadPool* pool, CancelState* state) -> Task<std::string> {
    auto handle = corio::spawn(work_until_released(pool, state));
    while (!state->on_worker.load()) co_await corio::yield_now();
    EXPECT_TRUE(handle.cancel());
    co_await corio::yield_now();
    EXPECT_FALSE(handle.done());  // still on the worker: nothing interrupts it
    state->release.store(true);
    try {
      co_await handle;
    } catch (const corio::CancelledError&) {
      co_return state->work_done.load() ? "cancelled after the work" : "cancelled before it";
    }
    co_return "not cancelled";
  };
  ThreadPool pool(1);
  CancelState state;
  EXPECT_EQ(corio::run(main_task(&pool, &state)), "cancelled after the work");
}

Task<pid_t> hop_once(ThreadPool* pool, std::atomic<int>* reached_worker) {
  corio::EventLoop& loop = corio::testing::current_loop();
  co_await pool->schedule();
  reached_worker->fetch_add(1);
  co_await corio::resume_on(loop);
  co_return thread_id();
}

TEST(ThreadPool, SchedulingRaisesAPendingCancellationWithoutLeavingTheLoop) {
  auto main_task = [](ThreadPool* pool, std::atomic<int>* reached_worker) -> Task<bool> {
    auto handle = corio::spawn(hop_once(pool, reached_worker));
    handle.cancel();  // before it first runs: pending at its first suspension, schedule()
    try {
      co_await handle;
    } catch (const corio::CancelledError&) {
      co_return true;
    }
    co_return false;
  };
  ThreadPool pool(1);
  std::atomic<int> reached_worker{0};
  EXPECT_TRUE(corio::run(main_task(&pool, &reached_worker)));
  EXPECT_EQ(reached_worker.load(), 0);
}

// What a coroutine on a worker gets from loop-only operations.
struct OnWorker {
  int logic_errors = 0;
  std::string sleep_error;
};

Task<OnWorker> await_loop_primitives_on_a_worker(ThreadPool* pool) {
  corio::EventLoop& loop = corio::testing::current_loop();
  corio::Queue<int> queue;
  OnWorker seen;
  co_await pool->schedule();
  try {
    co_await corio::sleep(std::chrono::milliseconds(1));
  } catch (const std::logic_error& e) {
    ++seen.logic_errors;
    seen.sleep_error = e.what();
  }
  try {
    co_await corio::yield_now();
  } catch (const std::logic_error&) {
    ++seen.logic_errors;
  }
  try {
    co_await queue.get();  // empty: it would have to suspend on the loop
  } catch (const std::logic_error&) {
    ++seen.logic_errors;
  }
  try {
    co_await corio::to_thread([] { return 0; });
  } catch (const std::logic_error&) {
    ++seen.logic_errors;
  }
  co_await corio::resume_on(loop);
  co_return seen;
}

TEST(ThreadPool, LoopOnlyOperationsThrowLogicErrorOnAWorker) {
  ThreadPool pool(1);
  const OnWorker seen = corio::run(await_loop_primitives_on_a_worker(&pool));
  EXPECT_EQ(seen.logic_errors, 4);
  EXPECT_NE(seen.sleep_error.find("corio::sleep()"), std::string::npos) << seen.sleep_error;
}

TEST(ThreadPool, ResumeOnTheLoopItIsAlreadyOnDoesNotSuspend) {
  auto main_task = []() -> Task<bool> {
    corio::EventLoop& loop = corio::testing::current_loop();
    const std::size_t ready_before = loop.ready_count();
    co_await corio::resume_on(loop);
    co_return loop.ready_count() == ready_before;
  };
  EXPECT_TRUE(corio::run(main_task()));
}

Task<void> resume_on_a_loop_never_left(ThreadPool* pool, corio::EventLoop* other,
                                       std::string* error) {
  corio::EventLoop& loop = corio::testing::current_loop();
  co_await pool->schedule();
  try {
    co_await corio::resume_on(*other);
  } catch (const std::logic_error& e) {
    *error = e.what();
  }
  co_await corio::resume_on(loop);
}

Task<corio::EventLoop*> loop_address() { co_return &corio::testing::current_loop(); }

TEST(ThreadPool, ResumeOnALoopTheTaskDidNotLeaveThrowsLogicError) {
  ThreadPool pool(1);
  // Any loop but the one the task left will do; this one has finished, and the task never
  // reaches it (resume_on throws before touching it).
  corio::EventLoop* other = nullptr;
  std::thread([&other] { other = corio::run(loop_address()); }).join();
  std::string error;
  corio::run(resume_on_a_loop_never_left(&pool, other, &error));
  EXPECT_NE(error.find("different loop"), std::string::npos) << error;
}

struct QueuedState {
  std::atomic<bool> first_on_worker{false};
  std::atomic<bool> release{false};
};

Task<int> queued_work(ThreadPool* pool, QueuedState* state, int index) {
  corio::EventLoop& loop = corio::testing::current_loop();
  co_await pool->schedule();
  if (index == 0) {
    state->first_on_worker.store(true);
    while (!state->release.load()) std::this_thread::yield();
  }
  const int result = index * index;
  co_await corio::resume_on(loop);
  co_return result;
}

// One worker, held by the first task while the nine others queue behind it; destroying the
// pool then runs all of them before joining, and each comes back to the loop.
TEST(ThreadPool, DestroyingThePoolRunsQueuedWorkFirst) {
  auto main_task = [](QueuedState* state) -> Task<int> {
    auto pool = std::make_unique<ThreadPool>(1);
    std::vector<corio::JoinHandle<int>> handles;
    handles.reserve(10);
    for (int i = 0; i < 10; ++i) handles.push_back(corio::spawn(queued_work(pool.get(), state, i)));
    while (!state->first_on_worker.load()) co_await corio::yield_now();
    state->release.store(true);
    pool.reset();  // blocks this loop until the queue is empty and the worker joined
    int total = 0;
    for (auto& handle : handles) total += co_await handle;
    co_return total;
  };
  QueuedState state;
  EXPECT_EQ(corio::run(main_task(&state)), 285);  // 0 + 1 + 4 + ... + 81
}

Task<void> yield_until(const std::atomic<bool>* stop) {
  while (!stop->load()) co_await corio::yield_now();
}

Task<int> hop_while_the_loop_is_busy(ThreadPool* pool) {
  corio::EventLoop& loop = corio::testing::current_loop();
  std::atomic<bool> stop{false};
  auto spinner = corio::spawn(yield_until(&stop));
  co_await pool->schedule();
  co_await corio::resume_on(loop);
  stop.store(true);
  co_await spinner;
  co_return 1;
}

// The loop never sleeps here, so it takes the hop back as soon as it is posted, then finishes
// and is destroyed at once: the worker must be done with the loop (its eventfd included) by
// the time the loop can see the coroutine. A regression test for TSan; 300 rounds made the
// race show up about one run in five before post_remote woke the loop under its lock.
TEST(ThreadPool, ALoopMayEndRightAfterTheLastHopBack) {
  ThreadPool pool(2);
  int rounds = 0;
  for (int i = 0; i < 300; ++i) rounds += corio::run(hop_while_the_loop_is_busy(&pool));
  EXPECT_EQ(rounds, 300);
}

// Waits on a worker until `count` jobs are in it at once, for at most 5 s: true if they were.
bool meet_on_workers(std::atomic<int>* arrived, int count) {
  arrived->fetch_add(1);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (arrived->load() < count) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

Task<int> two_jobs_that_need_each_other(ThreadPool* pool, int rounds) {
  int met = 0;
  for (int round = 0; round < rounds; ++round) {
    // A quick job first: the worker that ran it spins for more when it is done, the other
    // sleeps. The two jobs that follow are queued back to back (gather starts both children
    // at once); the spinner takes one, and the other must wake the sleeper.
    co_await pool->run([] { return 0; });
    std::atomic<int> arrived{0};
    std::vector<Task<bool>> jobs;
    jobs.reserve(2);
    for (int i = 0; i < 2; ++i) {
      jobs.push_back(pool->run([&arrived] { return meet_on_workers(&arrived, 2); }));
    }
    const std::vector<bool> together = co_await corio::gather(std::move(jobs));
    if (!together[0] || !together[1]) break;  // one job waited 5 s for the other: failed
    ++met;
  }
  co_return met;
}

// A worker spins for work before it sleeps, and push() does not wake a sleeper while one
// spins: jobs queued meanwhile must still reach every worker, not wait for the spinner.
TEST(ThreadPool, JobsQueuedWhileAWorkerSpinsStillRunOnEveryWorker) {
  ThreadPool pool(2);
  EXPECT_EQ(corio::run(two_jobs_that_need_each_other(&pool, 200)), 200);
}

Task<std::int64_t> hop_back_to_back(ThreadPool* pool, std::int64_t hops) {
  std::int64_t total = 0;
  for (std::int64_t i = 0; i < hops; ++i) total += co_await pool->run([i] { return i; });
  co_return total;
}

// Two loops hand work to one pool, one hop after another: both loops and the workers spin for
// each other, so every hand-off races a spinning reader (the case TSan must see clean).
TEST(ThreadPool, TwoLoopsHoppingBackToBackOnOnePoolComputeTheRightTotals) {
  constexpr std::int64_t kHops = 20'000;
  ThreadPool pool(2);
  const std::vector<std::int64_t> totals =
      corio::run_sharded(2, [&pool](std::size_t) { return hop_back_to_back(&pool, kHops); });
  ASSERT_EQ(totals.size(), 2U);
  for (const std::int64_t total : totals) EXPECT_EQ(total, kHops * (kHops - 1) / 2);
}

// A hop back that takes longer than the loop's spin finds the loop asleep: the post must
// wake it (the eventfd), or run() would wait forever.
TEST(ThreadPool, AHopBackAfterTheLoopFellAsleepWakesIt) {
  ThreadPool pool(1);
  auto slow_hop = [](ThreadPool* pool) -> Task<int> {
    co_return co_await pool->run([] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      return 7;
    });
  };
  EXPECT_EQ(corio::run(slow_hop(&pool)), 7);
}

Task<void> stop_on_the_worker(ThreadPool* pool) {
  co_await pool->schedule();
  co_await std::suspend_always{};  // suspends on the worker without hopping back first
}

// The loop would wait for this task forever: the worker says why and aborts instead of hanging.
TEST(ThreadPoolDeathTest, ACoroutineThatStopsOnAWorkerWithoutHoppingBackAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        ThreadPool pool(1);
        corio::run(stop_on_the_worker(&pool));
      },
      "without `co_await corio::resume_on\\(loop\\)`");
}

}  // namespace
