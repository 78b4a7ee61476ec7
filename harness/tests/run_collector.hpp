#pragma once
// A Google Benchmark reporter that keeps every run it is given, for tests that run registered
// benchmarks with benchmark::RunSpecifiedBenchmarks and look at names, errors and counters.

#include <vector>

#include <benchmark/benchmark.h>

namespace harness::testing {

class RunCollector final : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& report) override {
    runs.insert(runs.end(), report.begin(), report.end());
  }
  std::vector<Run> runs;
};

}  // namespace harness::testing
