// bench::ProgressReporter fed by hand: what it prints between runs and what it counts.
#include "bench/progress_reporter.hpp"

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <gtest/gtest.h>

namespace bench {
namespace {

using Run = benchmark::BenchmarkReporter::Run;

class SilentDisplay final : public benchmark::BenchmarkReporter {
 public:
  SilentDisplay() {
    SetOutputStream(&out);
    SetErrorStream(&err);
  }
  // Like ConsoleReporter: the context goes to the error stream.
  bool ReportContext(const Context&) override {
    GetErrorStream() << "***WARNING*** Library was built as DEBUG. Timings may be affected.\n";
    return true;
  }
  void ReportRuns(const std::vector<Run>& report) override { reported += report.size(); }
  std::ostringstream out;
  std::ostringstream err;
  std::size_t reported = 0;
};

Run make_run(std::int64_t family, bool error = false, Run::RunType type = Run::RT_Iteration) {
  Run run;
  run.family_index = family;
  run.per_family_instance_index = 0;
  run.run_type = type;
  run.error_occurred = error;
  return run;
}

ProgressReporter::Settings settings(std::vector<std::string> names, bool names_in_order = true,
                                    std::string debug_library_note = "") {
  ProgressReporter::Settings result;
  result.names = std::move(names);
  result.names_in_order = names_in_order;
  result.debug_library_note = std::move(debug_library_note);
  return result;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

TEST(ProgressReporter, AnnouncesEachRunWithEtaAfterTheFirst) {
  SilentDisplay display;
  std::ostringstream progress;
  ProgressReporter reporter(display, progress, settings({"a/x", "b/y"}));
  ASSERT_TRUE(reporter.ReportContext(benchmark::BenchmarkReporter::Context()));
  reporter.ReportRuns({make_run(0), make_run(0)});               // two repetitions of a/x
  reporter.ReportRuns({make_run(0, false, Run::RT_Aggregate)});  // then its aggregates
  reporter.ReportRuns({make_run(1)});
  reporter.Finalize();

  const auto lines = lines_of(progress.str());
  ASSERT_EQ(lines.size(), 3U) << progress.str();
  EXPECT_EQ(lines[0].rfind("[1/2] a/x ... elapsed ", 0), 0U) << lines[0];
  EXPECT_EQ(lines[0].find("ETA"), std::string::npos) << lines[0];
  EXPECT_EQ(lines[1].rfind("[2/2] b/y ... elapsed ", 0), 0U) << lines[1];
  EXPECT_NE(lines[1].find(", ETA ~"), std::string::npos) << lines[1];
  EXPECT_EQ(lines[2].rfind("[2/2] finished in ", 0), 0U) << lines[2];
  EXPECT_EQ(display.reported, 4U);
  EXPECT_EQ(reporter.finished(), 2U);
}

TEST(ProgressReporter, CountsFailedRuns) {
  SilentDisplay display;
  std::ostringstream progress;
  ProgressReporter reporter(display, progress, settings({"a", "b"}));
  reporter.ReportContext(benchmark::BenchmarkReporter::Context());
  reporter.ReportRuns({make_run(0, true), make_run(0, false), make_run(0, true)});
  reporter.ReportRuns({make_run(1)});
  reporter.Finalize();
  EXPECT_EQ(reporter.failed_runs(), 2);
  EXPECT_NE(progress.str().find("2 failed"), std::string::npos) << progress.str();
}

TEST(ProgressReporter, ExplainsTheDebugLibraryWarning) {
  SilentDisplay display;
  std::ostringstream progress;
  ProgressReporter reporter(display, progress, settings({"a"}, true, "note: X"));
  reporter.ReportContext(benchmark::BenchmarkReporter::Context());
  EXPECT_NE(display.err.str().find("DEBUG. Timings may be affected.\nnote: X\n"), std::string::npos)
      << display.err.str();
}

TEST(ProgressReporter, OmitsNamesWhenOrderIsRandom) {
  SilentDisplay display;
  std::ostringstream progress;
  ProgressReporter reporter(display, progress, settings({"a", "b"}, false));
  reporter.ReportContext(benchmark::BenchmarkReporter::Context());
  EXPECT_EQ(progress.str().rfind("[1/2] (random order) ... elapsed", 0), 0U) << progress.str();
}

TEST(FormatDuration, SwitchesToMinutesAtOneHundredSeconds) {
  EXPECT_EQ(format_duration(0.04), "0.0s");
  EXPECT_EQ(format_duration(12.34), "12.3s");
  EXPECT_EQ(format_duration(99.9), "99.9s");
  EXPECT_EQ(format_duration(245.0), "4m05s");
}

}  // namespace
}  // namespace bench
