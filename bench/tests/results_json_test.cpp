// The rows corio-bench writes when every repetition ran in its own process: renumbered
// repetitions and Google Benchmark 1.7.1's aggregates, computed with its rules.
#include "bench/results_json.hpp"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bench/isolated_runs.hpp"

namespace bench {
namespace {

Json iteration(double real_time, double items_per_second) {
  Json row;
  row["name"] = "runtime/spawn/corio/tasks:1/real_time";
  row["family_index"] = 3;
  row["per_family_instance_index"] = 0;
  row["run_name"] = "runtime/spawn/corio/tasks:1/real_time";
  row["run_type"] = "iteration";
  row["repetitions"] = 1;
  row["repetition_index"] = 0;
  row["threads"] = 1;
  row["iterations"] = 10;
  row["real_time"] = real_time;
  row["cpu_time"] = real_time / 2;
  row["time_unit"] = "ms";
  row["items_per_second"] = items_per_second;
  return row;
}

const Json* find_aggregate(const std::vector<Json>& rows, const std::string& name) {
  for (const Json& row : rows) {
    if (row["aggregate_name"] == name) return &row;
  }
  return nullptr;
}

TEST(ResultsJson, RepetitionRowsAreNumberedInRunOrder) {
  const std::vector<Json> rows = repetition_rows({iteration(1, 1), iteration(2, 2)});
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0]["repetitions"], 2);
  EXPECT_EQ(rows[0]["repetition_index"], 0);
  EXPECT_EQ(rows[1]["repetition_index"], 1);
  EXPECT_EQ(rows[1]["real_time"], 2.0);
}

TEST(ResultsJson, AggregatesFollowGoogleBenchmarksRules) {
  const std::vector<Json> rows =
      repetition_rows({iteration(4, 10), iteration(1, 40), iteration(2, 30), iteration(3, 20)});
  const std::vector<Json> aggregates = aggregate_rows(rows);
  ASSERT_EQ(aggregates.size(), 4U);
  EXPECT_EQ(aggregates[0]["aggregate_name"], "mean");
  EXPECT_EQ(aggregates[3]["aggregate_name"], "cv");

  const Json& median = *find_aggregate(aggregates, "median");
  EXPECT_EQ(median["name"], "runtime/spawn/corio/tasks:1/real_time_median");
  EXPECT_EQ(median["run_name"], "runtime/spawn/corio/tasks:1/real_time");
  EXPECT_EQ(median["run_type"], "aggregate");
  EXPECT_EQ(median["family_index"], 3);
  EXPECT_EQ(median["repetitions"], 4);
  EXPECT_EQ(median["iterations"], 4);  // Google Benchmark puts the repetition count there
  EXPECT_EQ(median["time_unit"], "ms");
  EXPECT_DOUBLE_EQ(median["real_time"].get<double>(), 2.5);  // mean of the two middle values
  EXPECT_DOUBLE_EQ(median["cpu_time"].get<double>(), 1.25);
  EXPECT_DOUBLE_EQ(median["items_per_second"].get<double>(), 25);

  const Json& mean = *find_aggregate(aggregates, "mean");
  EXPECT_DOUBLE_EQ(mean["real_time"].get<double>(), 2.5);
  const Json& stddev = *find_aggregate(aggregates, "stddev");
  const double sample_stddev = std::sqrt((2.25 + 0.25 + 0.25 + 2.25) / 3);  // n - 1
  EXPECT_DOUBLE_EQ(stddev["real_time"].get<double>(), sample_stddev);
  const Json& cv = *find_aggregate(aggregates, "cv");
  EXPECT_EQ(cv["aggregate_unit"], "percentage");
  EXPECT_DOUBLE_EQ(cv["real_time"].get<double>(), sample_stddev / 2.5);
}

TEST(ResultsJson, FailedRepetitionsAreLeftOutOfTheAggregates) {
  Json failed = failed_row("runtime/spawn/corio/tasks:1/real_time", "killed by signal 11");
  const std::vector<Json> rows = repetition_rows({iteration(1, 1), failed, iteration(3, 3)});
  const std::vector<Json> aggregates = aggregate_rows(rows);
  const Json& median = *find_aggregate(aggregates, "median");
  EXPECT_EQ(median["repetitions"], 3);
  EXPECT_EQ(median["iterations"], 2);
  EXPECT_DOUBLE_EQ(median["real_time"].get<double>(), 2);
}

TEST(ResultsJson, NoAggregatesWithFewerThanTwoSuccessfulRepetitions) {
  EXPECT_TRUE(aggregate_rows(repetition_rows({iteration(1, 1)})).empty());
  EXPECT_TRUE(
      aggregate_rows(repetition_rows({iteration(1, 1), failed_row("x", "crashed")})).empty());
}

TEST(ResultsJson, FailedRowCarriesTheMessage) {
  const Json row = failed_row("io/tcp_echo/corio/conns:1/real_time", "killed by signal 9");
  EXPECT_EQ(row["error_occurred"], true);
  EXPECT_EQ(row["error_message"], "killed by signal 9");
  EXPECT_EQ(row["run_type"], "iteration");
}

TEST(IsolatedRuns, ExactNameFilterEscapesRegexCharacters) {
  EXPECT_EQ(exact_name_filter("io/x/corio/limit:unlimited/min_time:0.500/real_time"),
            "^io/x/corio/limit:unlimited/min_time:0\\.500/real_time$");
  EXPECT_EQ(exact_name_filter("a(b)|c+"), "^a\\(b\\)\\|c\\+$");
}

}  // namespace
}  // namespace bench
