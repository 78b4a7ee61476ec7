// LatencyHistogram: every value lands in a bucket whose bounds hold it, within 1% of it;
// percentiles follow the nearest-rank definition; merging equals recording everything in one.
#include "harness/net/latency_histogram.hpp"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace harness {
namespace {

// Values across every magnitude: each power of two, its neighbours, and points in between.
std::vector<std::uint64_t> sample_values() {
  std::vector<std::uint64_t> values;
  for (int bit = 0; bit < 41; ++bit) {
    const std::uint64_t power = std::uint64_t{1} << bit;
    for (const std::uint64_t v : {power - 1, power, power + 1, power + power / 3, power * 2 - 1}) {
      values.push_back(v);
    }
  }
  std::mt19937_64 random(42);
  for (int i = 0; i < 10000; ++i) values.push_back(random() >> (23 + random() % 40));
  return values;
}

TEST(LatencyHistogram, EveryValueLiesWithinItsBucketsBounds) {
  for (const std::uint64_t v : sample_values()) {
    const int index = LatencyHistogram::index_of(v);
    ASSERT_GE(index, 0) << v;
    ASSERT_LT(index, LatencyHistogram::kBuckets) << v;
    EXPECT_GE(LatencyHistogram::upper_bound_of(index), static_cast<std::int64_t>(v)) << v;
    if (index > 0) {
      EXPECT_LT(LatencyHistogram::upper_bound_of(index - 1), static_cast<std::int64_t>(v)) << v;
    }
  }
}

TEST(LatencyHistogram, BucketsAreContiguousAndIncreasing) {
  for (int index = 0; index + 1 < LatencyHistogram::kBuckets - 1; ++index) {
    const std::int64_t upper = LatencyHistogram::upper_bound_of(index);
    ASSERT_EQ(LatencyHistogram::index_of(static_cast<std::uint64_t>(upper)), index) << index;
    ASSERT_EQ(LatencyHistogram::index_of(static_cast<std::uint64_t>(upper + 1)), index + 1)
        << index;
  }
}

TEST(LatencyHistogram, BucketWidthIsUnderOnePercentOfItsValues) {
  for (const std::uint64_t v : sample_values()) {
    if (v == 0) continue;
    const std::int64_t upper = LatencyHistogram::upper_bound_of(LatencyHistogram::index_of(v));
    const double error =
        static_cast<double>(upper - static_cast<std::int64_t>(v)) / static_cast<double>(v);
    EXPECT_LT(error, 0.01) << v;
  }
  // Below 256 every value has a bucket of its own.
  for (std::uint64_t v = 0; v < 256; ++v) {
    EXPECT_EQ(LatencyHistogram::upper_bound_of(LatencyHistogram::index_of(v)),
              static_cast<std::int64_t>(v));
  }
}

TEST(LatencyHistogram, PercentilesFollowTheNearestRank) {
  LatencyHistogram histogram;
  for (std::int64_t us = 1; us <= 1000; ++us) histogram.record(us * 1000);  // 1..1000 us
  EXPECT_EQ(histogram.count(), 1000);
  EXPECT_EQ(histogram.min_ns(), 1000);
  EXPECT_EQ(histogram.max_ns(), 1'000'000);
  EXPECT_DOUBLE_EQ(histogram.mean_ns(), 500'500.0);
  for (const double p : {1.0, 10.0, 50.0, 90.0, 99.0, 99.9}) {
    const double exact = p * 10'000.0;  // the value of rank p% of 1000, in ns
    const auto reported = static_cast<double>(histogram.percentile_ns(p));
    EXPECT_GE(reported, exact) << p;
    EXPECT_LT(reported, exact * 1.01) << p;
  }
  EXPECT_EQ(histogram.percentile_ns(100), 1'000'000);
  EXPECT_GE(histogram.percentile_ns(0), 1000);  // the smallest value's bucket
  EXPECT_LT(histogram.percentile_ns(0), 1010);
}

TEST(LatencyHistogram, PercentilesStayWithinMinAndMax) {
  LatencyHistogram histogram;
  histogram.record(1'000'001);  // the upper end of its bucket is above it
  EXPECT_EQ(histogram.percentile_ns(50), 1'000'001);
  EXPECT_EQ(histogram.percentile_ns(99.9), 1'000'001);
}

TEST(LatencyHistogram, EmptyReportsZeros) {
  const LatencyHistogram histogram;
  EXPECT_EQ(histogram.count(), 0);
  EXPECT_EQ(histogram.max_ns(), 0);
  EXPECT_EQ(histogram.min_ns(), 0);
  EXPECT_EQ(histogram.mean_ns(), 0.0);
  EXPECT_EQ(histogram.percentile_ns(50), 0);
}

TEST(LatencyHistogram, NegativeAndHugeValuesAreClamped) {
  LatencyHistogram histogram;
  histogram.record(-5);
  EXPECT_EQ(histogram.max_ns(), 0);
  const std::int64_t huge = std::int64_t{1} << 50;
  histogram.record(huge);
  EXPECT_EQ(histogram.count(), 2);
  EXPECT_EQ(histogram.max_ns(), huge);
  EXPECT_EQ(histogram.percentile_ns(99), huge);
}

TEST(LatencyHistogram, MergeEqualsRecordingEverythingInOne) {
  LatencyHistogram all;
  LatencyHistogram first;
  LatencyHistogram second;
  std::mt19937_64 random(7);
  for (int i = 0; i < 5000; ++i) {
    const auto v = static_cast<std::int64_t>(random() % 10'000'000);
    all.record(v);
    (i % 3 == 0 ? first : second).record(v);
  }
  first.merge(second);
  EXPECT_EQ(first.count(), all.count());
  EXPECT_EQ(first.min_ns(), all.min_ns());
  EXPECT_EQ(first.max_ns(), all.max_ns());
  EXPECT_DOUBLE_EQ(first.mean_ns(), all.mean_ns());
  for (const double p : {0.0, 25.0, 50.0, 90.0, 99.0, 99.9, 100.0}) {
    EXPECT_EQ(first.percentile_ns(p), all.percentile_ns(p)) << p;
  }
  LatencyHistogram empty;
  empty.merge(all);
  EXPECT_EQ(empty.min_ns(), all.min_ns());
  EXPECT_EQ(empty.percentile_ns(50), all.percentile_ns(50));
}

}  // namespace
}  // namespace harness
