#pragma once
// The display reporter corio-bench runs with: Google Benchmark's own display, plus progress
// lines and a count of failed runs.
//
//   bench::ProgressReporter  wraps a display reporter; prints "[i/N] name ... elapsed, ETA"
//                              to a progress stream and counts runs with error_occurred
//
// Google Benchmark 1.7.1 has no "run about to start" hook: a reporter hears ReportContext once
// before the first run, then ReportRuns after each benchmark's last repetition. Since the
// names and their order are known beforehand (from a --list pass), the line announcing run i+1
// is printed when run i is reported, which reads as "before each run". With random
// interleaving the order is unknown and the lines give only the count.

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

namespace bench {

class ProgressReporter final : public benchmark::BenchmarkReporter {
 public:
  struct Settings {
    // The runs in the order they will run; only the count matters when !names_in_order.
    std::vector<std::string> names;
    bool names_in_order = true;
    // Overwrite the line in place with '\r' (a terminal) instead of printing plain lines.
    bool overwrite = false;
    // Printed after Google Benchmark's "Library was built as DEBUG" warning, if it appears.
    std::string debug_library_note;
  };

  // `display` is not owned: Google Benchmark's default display reporter is a leaked static.
  ProgressReporter(benchmark::BenchmarkReporter& display, std::ostream& progress,
                   Settings settings);

  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& report) override;
  void Finalize() override;

  // Runs (repetitions included) that ended with SkipWithError: failed check or exception.
  [[nodiscard]] int failed_runs() const { return failed_runs_; }
  [[nodiscard]] std::size_t finished() const { return finished_; }

 private:
  using Clock = std::chrono::steady_clock;

  void announce_next();
  void clear_line();
  void print_line(const std::string& head, std::string_view name, const std::string& tail);
  [[nodiscard]] double elapsed_seconds() const;

  benchmark::BenchmarkReporter& display_;
  std::ostream& progress_;
  Settings settings_;
  Clock::time_point start_{};
  std::size_t finished_ = 0;
  int failed_runs_ = 0;
  bool line_shown_ = false;  // an overwritable line is on screen
  // Identifies the benchmark of the previous ReportRuns call: Google Benchmark reports a
  // benchmark's repetitions and then, in a second call, its aggregates.
  std::pair<std::int64_t, std::int64_t> last_reported_{-1, -1};
};

// "12.3s" below 100 seconds, "4m05s" above.
[[nodiscard]] std::string format_duration(double seconds);

}  // namespace bench
