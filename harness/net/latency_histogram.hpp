#pragma once
// harness::LatencyHistogram: request latencies in log-linear buckets (HdrHistogram's layout):
// every power of two of nanoseconds is split into 128 linear sub-buckets, so a recorded value
// is known to within 1/128 (0.8%) of itself, from 1 ns to 2^41 ns (36 minutes; larger values
// land in the last bucket). Recording is one increment, no allocation; merging adds
// bucket counts, so per-thread or per-connection histograms can be summed.
//
//   record(ns)        add one latency
//   merge(other)      add another histogram's counts
//   count(), max_ns(), min_ns(), mean_ns()
//   percentile_ns(p)  p in [0, 100]: the upper end of the bucket holding the p-th percentile
//                     value, clamped to max_ns() (so percentile_ns(100) == max_ns())

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace harness {

class LatencyHistogram {
 public:
  static constexpr int kSubBucketBits = 7;  // 128 sub-buckets per power of two: < 1% error
  static constexpr int kMaxMagnitude = 33;  // values up to 2^41 ns; larger ones clamp
  static constexpr int kBuckets = (kMaxMagnitude + 2) << kSubBucketBits;

  void record(std::int64_t ns) noexcept {
    if (ns < 0) ns = 0;
    ++counts_[static_cast<std::size_t>(index_of(static_cast<std::uint64_t>(ns)))];
    ++count_;
    sum_ += static_cast<double>(ns);
    if (ns > max_) max_ = ns;
    if (ns < min_) min_ = ns;
  }

  void merge(const LatencyHistogram& other) noexcept {
    for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
    count_ += other.count_;
    sum_ += other.sum_;
    if (other.max_ > max_) max_ = other.max_;
    if (other.min_ < min_) min_ = other.min_;
  }

  [[nodiscard]] std::int64_t count() const noexcept { return count_; }
  [[nodiscard]] std::int64_t max_ns() const noexcept { return count_ == 0 ? 0 : max_; }
  [[nodiscard]] std::int64_t min_ns() const noexcept { return count_ == 0 ? 0 : min_; }
  [[nodiscard]] double mean_ns() const noexcept {
    return count_ == 0 ? 0.0 : sum_ / static_cast<double>(count_);
  }

  [[nodiscard]] std::int64_t percentile_ns(double p) const noexcept {
    if (count_ == 0) return 0;
    if (p >= 100.0) return max_;
    if (p < 0.0) p = 0.0;
    // The rank of the p-th percentile value (1-based, nearest-rank definition).
    auto rank = static_cast<std::int64_t>(p / 100.0 * static_cast<double>(count_) + 0.999999);
    if (rank < 1) rank = 1;
    std::int64_t seen = 0;
    for (int i = 0; i < kBuckets; ++i) {
      seen += counts_[static_cast<std::size_t>(i)];
      if (seen >= rank) {
        if (i == kBuckets - 1) return max_;  // the clamping bucket has no upper bound
        const std::int64_t upper = upper_bound_of(i);
        const std::int64_t clamped = upper < max_ ? upper : max_;
        return clamped > min_ ? clamped : min_;
      }
    }
    return max_;
  }

  // Bucket layout, exposed for tests. Values below 256 have a bucket each; above, a value
  // of bit length b is kept to its top 8 bits (magnitude m = b - 8): index = m * 128 + (ns >> m),
  // which is continuous from one magnitude to the next.
  static constexpr int index_of(std::uint64_t ns) noexcept {
    const int bits = 64 - std::countl_zero(ns);
    const int magnitude = bits > kSubBucketBits + 1 ? bits - (kSubBucketBits + 1) : 0;
    if (magnitude > kMaxMagnitude) return kBuckets - 1;
    return (magnitude << kSubBucketBits) + static_cast<int>(ns >> magnitude);
  }
  // The largest value that index_of maps to bucket `index`.
  static constexpr std::int64_t upper_bound_of(int index) noexcept {
    if (index < (2 << kSubBucketBits)) return index;
    const int magnitude = (index >> kSubBucketBits) - 1;
    const std::int64_t sub = index - (magnitude << kSubBucketBits);
    return ((sub + 1) << magnitude) - 1;
  }

 private:
  std::array<std::int64_t, static_cast<std::size_t>(kBuckets)> counts_{};
  std::int64_t count_ = 0;
  double sum_ = 0.0;
  std::int64_t max_ = 0;
  std::int64_t min_ = std::numeric_limits<std::int64_t>::max();
};

}  // namespace harness
