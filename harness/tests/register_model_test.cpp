// harness::register_model<W> through Google Benchmark itself: names, units, iterations,
// counters, and that every result is checked and every failure or exception becomes an error.
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <malloc.h>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>
#include <gtest/gtest.h>

#include "harness/tests/run_collector.hpp"
#include "harness/tests/sum_workload.hpp"
#include "harness/workload.hpp"

namespace harness {
namespace {

// Sums 1..n (sum_workload.hpp), with a counter; two points quick, three full.
struct SumWorkload : testing::SumWorkload {
  static constexpr std::string_view name = "test/sum";
  static std::vector<Params> points(Profile profile) {
    if (profile == Profile::quick) return {{10}, {100}};
    return {{10}, {100}, {1000}};
  }
  static void counters(const Params& p, const Result& r, Counters& c) {
    c.set("sum_per_n", static_cast<double>(r.sum) / static_cast<double>(p.n));
  }
};

// The same with the optional members: a fixed iteration count and microseconds.
struct FixedSumWorkload : SumWorkload {
  static constexpr std::string_view name = "test/fixed_sum";
  static benchmark::TimeUnit unit(const Params&) { return benchmark::kMicrosecond; }
  static int iterations(const Params&, Profile) { return 3; }
};

SumWorkload::Result sum_right(const SumWorkload::Params& p) {
  long long sum = 0;
  for (long long i = 1; i <= p.n; ++i) sum += i;
  benchmark::DoNotOptimize(sum);
  return {sum};
}

SumWorkload::Result sum_wrong(const SumWorkload::Params& p) { return {p.n}; }

SumWorkload::Result sum_throws(const SumWorkload::Params&) {
  throw std::runtime_error("no sum today");
}

// Right except on one call, in the middle of a check batch: only checking every result sees it.
std::atomic<int> calls_to_sum_once_wrong{0};
SumWorkload::Result sum_once_wrong(const SumWorkload::Params& p) {
  SumWorkload::Result result = sum_right(p);
  if (++calls_to_sum_once_wrong == 45) ++result.sum;
  return result;
}

// One timed call per run after an untimed warm-up call (harness/workload.hpp).
struct WarmSumWorkload : SumWorkload {
  static constexpr std::string_view name = "test/warm_sum";
  static int iterations(const Params&, Profile) { return 1; }
  static constexpr bool warm_up = true;
};

// Wrong on the first call of each run only, right after: a model that is wrong while cold.
int calls_this_run = 0;
SumWorkload::Result sum_wrong_first(const SumWorkload::Params& p) {
  SumWorkload::Result result = sum_right(p);
  if (++calls_this_run == 1) ++result.sum;
  return result;
}

// Records, at each call, how many bytes of free heap malloc keeps at the top of its arena
// (mallinfo2's keepcost), then takes 8 MiB in 32-KiB blocks (below the mmap threshold, so
// from that arena) and frees them: a call that finds them kept reuses them.
constexpr std::size_t kHeapChurnBytes = std::size_t{8} << 20;
std::vector<std::size_t> kept_heap_at_each_call;
void churn_heap() {
  std::vector<void*> blocks(kHeapChurnBytes / (32 * 1024));
  for (void*& block : blocks) {
    block = std::malloc(32 * 1024);
    benchmark::DoNotOptimize(block);
  }
  for (void* block : blocks) std::free(block);
}
SumWorkload::Result sum_after_heap_churn(const SumWorkload::Params& p) {
  kept_heap_at_each_call.push_back(::mallinfo2().keepcost);
  churn_heap();
  return sum_right(p);
}

using testing::RunCollector;

std::vector<benchmark::BenchmarkReporter::Run> run_matching(const std::string& regex) {
  static const bool registered = [] {
    register_model<SumWorkload>("right", sum_right, Profile::quick);
    register_model<SumWorkload>("wrong", sum_wrong, Profile::quick);
    register_model<SumWorkload>("throws", sum_throws, Profile::quick);
    register_model<SumWorkload>("once_wrong", sum_once_wrong, Profile::quick);
    register_model<SumWorkload>("heap_churn", sum_after_heap_churn, Profile::quick);
    register_model<FixedSumWorkload>("right", sum_right, Profile::full);
    register_model<WarmSumWorkload>("wrong_first", sum_wrong_first, Profile::quick);
    register_model<FixedSumWorkload>("wrong_first", sum_wrong_first, Profile::full);
    return true;
  }();
  (void)registered;
  RunCollector collector;
  benchmark::RunSpecifiedBenchmarks(&collector, regex);
  return collector.runs;
}

TEST(RegisterModel, NamesOneRunPerPointWithRealTime) {
  const auto runs = run_matching("^test/sum/right/");
  ASSERT_EQ(runs.size(), 2U);
  EXPECT_EQ(runs[0].benchmark_name(), "test/sum/right/n:10/min_time:0.050/real_time");
  EXPECT_EQ(runs[1].benchmark_name(), "test/sum/right/n:100/min_time:0.050/real_time");
  EXPECT_EQ(runs[0].time_unit, benchmark::kMillisecond);
}

TEST(RegisterModel, ReportsItemsAndMeanCounters) {
  const auto runs = run_matching("^test/sum/right/n:10/");
  ASSERT_EQ(runs.size(), 1U);
  const auto& run = runs[0];
  ASSERT_FALSE(run.error_occurred) << run.error_message;
  const auto& counters = run.counters;
  ASSERT_TRUE(counters.contains("sum_per_n"));
  EXPECT_DOUBLE_EQ(counters.at("sum_per_n").value, 5.5);
  ASSERT_TRUE(counters.contains("items_per_second"));
  // Reported as a rate: items per second of real time.
  EXPECT_DOUBLE_EQ(counters.at("items_per_second").value,
                   10.0 * static_cast<double>(run.iterations) / run.real_accumulated_time);
  EXPECT_TRUE(counters.contains("ctx_voluntary"));
  EXPECT_TRUE(counters.contains("ctx_involuntary"));
  ASSERT_TRUE(counters.contains("peak_rss_bytes"));
  EXPECT_GT(counters.at("peak_rss_bytes").value, 0.0);
}

TEST(RegisterModel, HonoursWorkloadUnitAndIterations) {
  const auto runs = run_matching("^test/fixed_sum/right/n:1000/");
  ASSERT_EQ(runs.size(), 1U);
  EXPECT_EQ(runs[0].benchmark_name(), "test/fixed_sum/right/n:1000/iterations:3/real_time");
  EXPECT_EQ(runs[0].iterations, 3);
  EXPECT_EQ(runs[0].time_unit, benchmark::kMicrosecond);
}

TEST(RegisterModel, WarmUpCallIsCheckedAndNotAmongTheTimedOnes) {
  calls_this_run = 0;
  const auto cold = run_matching("^test/fixed_sum/wrong_first/n:10/");
  ASSERT_EQ(cold.size(), 1U);
  ASSERT_TRUE(cold[0].error_occurred);  // without warm_up the wrong call is a timed one
  EXPECT_EQ(cold[0].error_message, "check failed: sum 56, expected 55");

  // With warm_up the same wrong first call is the untimed one, and fails the run all the same.
  calls_this_run = 0;
  auto warm = run_matching("^test/warm_sum/wrong_first/n:10/");
  ASSERT_EQ(warm.size(), 1U);
  ASSERT_TRUE(warm[0].error_occurred);
  EXPECT_EQ(warm[0].error_message, "check failed in the untimed warm-up call: sum 56, expected 55");
  EXPECT_EQ(calls_this_run, 1);  // and no timed call followed it

  // A first call that is right: one untimed call, then the run's one timed call.
  calls_this_run = 1;
  warm = run_matching("^test/warm_sum/wrong_first/n:10/");
  ASSERT_EQ(warm.size(), 1U);
  ASSERT_FALSE(warm[0].error_occurred) << warm[0].error_message;
  EXPECT_EQ(warm[0].iterations, 1);
  EXPECT_EQ(calls_this_run, 3);
}

TEST(RegisterModel, FailedCheckBecomesError) {
  const auto runs = run_matching("^test/sum/wrong/n:10/");
  ASSERT_EQ(runs.size(), 1U);
  EXPECT_TRUE(runs[0].error_occurred);
  EXPECT_EQ(runs[0].error_message, "check failed: sum 10, expected 55");
}

TEST(RegisterModel, ExceptionBecomesError) {
  const auto runs = run_matching("^test/sum/throws/n:10/");
  ASSERT_EQ(runs.size(), 1U);
  EXPECT_TRUE(runs[0].error_occurred);
  EXPECT_EQ(runs[0].error_message, "exception: no sum today");
}

TEST(RegisterModel, ChecksEveryResult) {
  const auto runs = run_matching("^test/sum/once_wrong/n:10/");
  ASSERT_EQ(runs.size(), 1U);
  EXPECT_TRUE(runs[0].error_occurred);
  EXPECT_EQ(runs[0].error_message, "check failed: sum 56, expected 55");
}

// Google Benchmark runs a benchmark in growing batches until one lasts the minimum time; the
// heap is given back to the kernel before the first batch only, so that the reported batch
// runs on the heap the earlier ones grew instead of faulting it back in on its first call.
TEST(RegisterModel, TrimsTheHeapBeforeABenchmarksFirstBatchOnly) {
  // Only the harness gives heap back here: free() trims by itself above this threshold.
  ASSERT_EQ(::mallopt(M_TRIM_THRESHOLD, 1 << 30), 1);
  churn_heap();  // free heap left by "an earlier benchmark"
  kept_heap_at_each_call.clear();
  const auto runs = run_matching("^test/sum/heap_churn/n:10/");
  ASSERT_EQ(runs.size(), 1U);
  ASSERT_FALSE(runs[0].error_occurred) << runs[0].error_message;
  // More calls than the reported batch holds: earlier batches ran (otherwise this test
  // could not tell a trim per batch from a trim per benchmark).
  ASSERT_GT(kept_heap_at_each_call.size(), static_cast<std::size_t>(runs[0].iterations));
  EXPECT_LT(kept_heap_at_each_call.front(), kHeapChurnBytes / 4) << "not trimmed at the start";
  for (std::size_t call = 1; call < kept_heap_at_each_call.size(); ++call) {
    // (less a little: what the harness and this vector allocated since)
    ASSERT_GE(kept_heap_at_each_call[call], kHeapChurnBytes / 2) << "trimmed before call " << call;
  }
}

}  // namespace
}  // namespace harness
