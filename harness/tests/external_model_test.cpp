// The external-model protocol end to end (harness/external_model.hpp, external_workload.hpp,
// and the Python side in workloads/common/python): fake Python models in fake_models/ that
// answer right, wrong, in the wrong shape, raise, crash, print where the reply belongs, miss a
// package, never answer, or exit badly. Each failure must be one clear line on its own run,
// and nothing else lost: the other runs of the same invocation pass, and no child outlives
// its run.
#include "harness/external_model.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <string>
#include <string_view>
#include <sys/wait.h>
#include <vector>

#include <benchmark/benchmark.h>
#include <gtest/gtest.h>

#include "harness/external_workload.hpp"
#include "harness/tests/run_collector.hpp"
#include "harness/tests/sum_workload.hpp"
#include "harness/workload.hpp"

#ifndef CORIO_SOURCE_DIR
#error "CORIO_SOURCE_DIR must name the source tree (harness/tests/CMakeLists.txt sets it)"
#endif

namespace harness {
namespace {

// Sums 1..n (sum_workload.hpp), three calls per run, one point.
struct SumWorkload : testing::SumWorkload {
  static constexpr std::string_view name = "test/external_sum";
  static std::vector<Params> points(Profile) { return {{10}}; }
  static int iterations(const Params&, Profile) { return 3; }
};

// The same with an untimed warm-up call before each run's timed ones (harness/workload.hpp).
struct WarmSumWorkload : SumWorkload {
  static constexpr std::string_view name = "test/external_warm_sum";
  static constexpr bool warm_up = true;
};

// fake_models/<fake>.py, run the way harness::python_model runs a workload's model.
ExternalCommand fake_model(std::string_view fake) {
  const std::string source = CORIO_SOURCE_DIR;
  return {.model = "py_" + std::string(fake),
          .argv = {"/usr/bin/python3", "-s", source + "/workloads/common/python/run_model.py",
                   source + "/harness/tests/fake_models/" + std::string(fake) + ".py"},
          .missing_hint = "Debian's python3"};
}

const std::vector<std::string_view> kFakes = {"right",           "wrong",      "misshaped",
                                              "raises",          "crashes",    "garbage",
                                              "missing_package", "exits_badly"};

using testing::RunCollector;

void register_fakes() {
  static const bool registered = [] {
    for (const std::string_view fake : kFakes) {
      register_external_model<SumWorkload>(fake_model(fake), Profile::quick);
    }
    ExternalCommand gone = fake_model("right");
    gone.model = "py_gone";
    gone.argv = {"/nonexistent/corio-model"};
    gone.missing_hint = "the build to have made it";
    register_external_model<SumWorkload>(gone, Profile::quick);
    // Wrong on its first call only: what a check of the warm-up call is there to catch.
    register_external_model<SumWorkload>(fake_model("wrong_first"), Profile::quick);
    register_external_model<WarmSumWorkload>(fake_model("wrong_first"), Profile::quick);
    register_external_model<WarmSumWorkload>(fake_model("right"), Profile::quick);
    return true;
  }();
  (void)registered;
}

std::vector<benchmark::BenchmarkReporter::Run> run_matching(const std::string& regex) {
  register_fakes();
  RunCollector collector;
  benchmark::RunSpecifiedBenchmarks(&collector, regex);
  return collector.runs;
}

// The one run of a fake model, which must have failed; returns its message.
std::string failure_of(std::string_view fake) {
  const auto runs = run_matching("^test/external_sum/py_" + std::string(fake) + "/");
  if (runs.size() != 1) return "expected one run, got " + std::to_string(runs.size());
  if (!runs[0].error_occurred) return "the run did not fail";
  return runs[0].error_message;
}

TEST(ExternalModel, RightModelIsTimedByItselfCheckedAndMeasured) {
  const auto runs = run_matching("^test/external_sum/py_right/");
  ASSERT_EQ(runs.size(), 1U);
  const auto& run = runs[0];
  ASSERT_FALSE(run.error_occurred) << run.error_message;
  EXPECT_EQ(run.benchmark_name(), "test/external_sum/py_right/n:10/iterations:3/manual_time");
  EXPECT_EQ(run.iterations, 3);
  // The child's own timing of a sum of ten numbers: far below a process start.
  EXPECT_GT(run.real_accumulated_time, 0.0);
  EXPECT_LT(run.real_accumulated_time, 0.05);
  // The child's memory, not corio-bench's: an interpreter's few MiB at least.
  ASSERT_TRUE(run.counters.contains("peak_rss_bytes"));
  EXPECT_GT(run.counters.at("peak_rss_bytes").value, 4.0 * 1024 * 1024);
  EXPECT_TRUE(run.counters.contains("ctx_voluntary"));
  EXPECT_TRUE(run.counters.contains("ctx_involuntary"));
  EXPECT_TRUE(run.counters.contains("items_per_second"));
}

TEST(ExternalModel, WrongResultFailsTheWorkloadsCheck) {
  EXPECT_EQ(failure_of("wrong"), "check failed: sum 10, expected 55");
}

TEST(ExternalModel, ResultOfTheWrongShapeIsNamed) {
  const std::string failure = failure_of("misshaped");
  EXPECT_TRUE(failure.starts_with("py_misshaped's result does not fit test/external_sum: "))
      << failure;
  EXPECT_NE(failure.find("(result: {\"total\":55})"), std::string::npos) << failure;
}

TEST(ExternalModel, PythonExceptionIsItsTypeMessageAndLine) {
  EXPECT_EQ(failure_of("raises"), "py_raises: ValueError: no sum of 10 today (at raises.py:6)");
}

TEST(ExternalModel, CrashNamesTheSignalAndTheLastWords) {
  EXPECT_EQ(failure_of("crashes"),
            "py_crashes ended before its reply (killed by signal 11 (SIGSEGV)); its stderr "
            "ends: about to crash");
}

TEST(ExternalModel, OutputWhereTheReplyBelongsIsShown) {
  const std::string failure = failure_of("garbage");
  EXPECT_TRUE(
      failure.starts_with("py_garbage printed 'hello from a library' where its JSON "
                          "reply belongs"))
      << failure;
}

TEST(ExternalModel, MissingPackageIsOneLineNamingIt) {
  EXPECT_EQ(failure_of("missing_package"),
            "py_missing_package cannot run: the Python module 'corio_no_such_module' is "
            "missing: install Debian's python3-corio_no_such_module (apt-get install "
            "python3-corio_no_such_module, or scripts/install_deps.sh) (exit status 2)");
}

TEST(ExternalModel, MissingProgramSaysWhatToInstall) {
  EXPECT_EQ(failure_of("gone"),
            "py_gone cannot run: /nonexistent/corio-model is missing; it needs the build to "
            "have made it");
}

TEST(ExternalModel, BadExitAfterTheRepliesFailsTheRun) {
  EXPECT_EQ(failure_of("exits_badly"),
            "py_exits_badly ended with exit status 3 after its last reply");
}

TEST(ExternalModel, SilentChildTimesOutAndIsKilled) {
  ExternalModel child = ExternalModel::start(fake_model("hangs"));
  const pid_t pid = child.pid();
  try {
    child.call(nlohmann::json{{"n", 10}}, std::chrono::seconds(1));
    FAIL() << "a call that never returns returned";
  } catch (const ExternalFailure& e) {
    EXPECT_EQ(std::string(e.what()).rfind("py_hangs gave no reply within 1 s", 0), 0U) << e.what();
  }
  // Killed and reaped by the failure, not left for the destructor.
  EXPECT_EQ(::kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);
}

TEST(ExternalModel, WarmUpCallIsCheckedButNotTimed) {
  // Without warm_up the wrong first call is a timed one, and fails as such.
  const auto cold = run_matching("^test/external_sum/py_wrong_first/");
  ASSERT_EQ(cold.size(), 1U);
  ASSERT_TRUE(cold[0].error_occurred);
  EXPECT_EQ(cold[0].error_message, "check failed: sum 56, expected 55");
  // With it, the same call is the untimed warm-up, and its check fails the run all the same.
  const auto warm = run_matching("^test/external_warm_sum/py_wrong_first/");
  ASSERT_EQ(warm.size(), 1U);
  ASSERT_TRUE(warm[0].error_occurred);
  EXPECT_EQ(warm[0].error_message, "check failed in the untimed warm-up call: sum 56, expected 55");
  // A right model runs its three timed calls after the warm-up one.
  const auto right = run_matching("^test/external_warm_sum/py_right/");
  ASSERT_EQ(right.size(), 1U);
  ASSERT_FALSE(right[0].error_occurred) << right[0].error_message;
  EXPECT_EQ(right[0].iterations, 3);
}

TEST(ExternalModel, FailuresAreOneLineEachAndLoseNothingElse) {
  const auto runs = run_matching("^test/external_sum/");
  ASSERT_EQ(runs.size(), kFakes.size() + 2);  // every fake, the missing program, wrong_first
  int passed = 0;
  for (const auto& run : runs) {
    if (!run.error_occurred) {
      ++passed;
      EXPECT_EQ(run.benchmark_name(), "test/external_sum/py_right/n:10/iterations:3/manual_time");
      continue;
    }
    EXPECT_EQ(run.error_message.find('\n'), std::string::npos) << run.error_message;
    EXPECT_FALSE(run.error_message.empty()) << run.benchmark_name();
  }
  EXPECT_EQ(passed, 1);  // the right model still runs, whatever failed around it
  // No child outlives its run: none is left to reap, alive or a zombie.
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST(ExternalModel, GoAndTokioCommandsNameTheirRowsProgramsAndPackages) {
  const ExternalCommand go = go_model("io/tcp_echo", Threads::one);
  EXPECT_EQ(go.model, "go");
  EXPECT_TRUE(go.argv.front().ends_with("/workloads/io/tcp_echo/go")) << go.argv.front();
  EXPECT_EQ(go.argv.back(), "--threads=1");
  EXPECT_NE(go.missing_hint.find("golang-go"), std::string::npos) << go.missing_hint;

  const ExternalCommand tokio_mt = tokio_model("io/tcp_echo", Threads::all);
  EXPECT_EQ(tokio_mt.model, "tokio_mt");
  EXPECT_TRUE(tokio_mt.argv.front().ends_with("/workloads/io/tcp_echo/tokio"))
      << tokio_mt.argv.front();
  EXPECT_EQ(tokio_mt.argv.back(), "--threads=0");
  EXPECT_NE(tokio_mt.missing_hint.find("librust-tokio-dev"), std::string::npos)
      << tokio_mt.missing_hint;
}

}  // namespace
}  // namespace harness
