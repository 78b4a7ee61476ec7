// corio-bench: registers every workload's models (workloads/list.hpp names the folders) with Google
// Benchmark, runs those the command line selects, and turns failed checks into exit status 3.
//
// It has its own main rather than BENCHMARK_MAIN() because the latter exits 0 even after
// SkipWithError. A run goes through Google Benchmark twice: a --benchmark_list_tests pass
// resolves --filter into names (so a bad or empty filter is refused before any work, and the
// progress lines know every name), then the real pass runs them.

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <system_error>
#include <unistd.h>
#include <uv.h>
#include <vector>

#include <benchmark/benchmark.h>
#include <boost/version.hpp>

#include "bench/build_info.hpp"
#include "bench/cli.hpp"
#include "bench/git_revision.hpp"
#include "bench/isolated_runs.hpp"
#include "bench/load.hpp"
#include "bench/progress_reporter.hpp"
#include "bench/serve.hpp"
#include "harness/malloc_policy.hpp"
#include "harness/registrar.hpp"
#include "harness/rusage.hpp"
#include "harness/workload.hpp"
#include "workloads/registry.hpp"

namespace {

using bench::exit_status;
using bench::ExitCode;
using bench::Options;

struct Rejected {
  std::string flag;    // the first argument Google Benchmark did not take; "" when none
  std::string reason;  // what it printed about it, e.g. "... is expected to be a double ..."
};

// Hands `flags` to Google Benchmark's flag parser. Its complaints about a malformed value
// (written to std::cerr) are captured, so that corio-bench reports one line of its own.
// `program` must outlive the run: Google Benchmark keeps the pointer to print "Running ...".
Rejected initialize_benchmark(char* program, std::vector<std::string> flags) {
  std::vector<char*> argv{program};
  for (std::string& flag : flags) argv.push_back(flag.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(argv.size() - 1);
  std::ostringstream complaints;
  std::streambuf* const real_cerr = std::cerr.rdbuf(complaints.rdbuf());
  // 1.7.1 calls this printer, then exit(0), when --benchmark_format or --benchmark_color has a
  // value it does not know; cli.cpp catches the first, this catches the rest with status 2.
  benchmark::Initialize(&argc, argv.data(), [] {
    std::fputs(
        "corio-bench: a --benchmark_* flag has a value Google Benchmark does not accept "
        "(its flags and values: corio-bench --help)\n",
        stderr);
    // Single-threaded here; exit is what Google Benchmark would do next anyway.
    std::exit(exit_status(ExitCode::bad_input));  // NOLINT(concurrency-mt-unsafe)
  });
  std::cerr.rdbuf(real_cerr);
  if (argc <= 1) return {};
  std::string reason = complaints.str();
  while (!reason.empty() && reason.back() == '\n') reason.pop_back();
  std::ranges::replace(reason, '\n', ' ');
  return {.flag = argv[1], .reason = reason};
}

// The benchmark names `spec` selects, in run order, by a --benchmark_list_tests pass that
// prints into strings instead of the terminal.
class NameCollector final : public benchmark::BenchmarkReporter {
 public:
  NameCollector() {
    SetOutputStream(&names_);
    SetErrorStream(&messages_);
  }
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>&) override {}

  struct Listing {
    std::vector<std::string> names;
    std::string messages;  // Google Benchmark's complaint, e.g. about an invalid regex
  };
  static Listing list(const std::string& spec) {
    NameCollector collector;
    benchmark::RunSpecifiedBenchmarks(&collector, spec);
    Listing listing;
    std::istringstream lines(collector.names_.str());
    for (std::string name; std::getline(lines, name);) {
      if (!name.empty()) listing.names.push_back(name);
    }
    listing.messages = collector.messages_.str();
    while (!listing.messages.empty() && listing.messages.back() == '\n') {
      listing.messages.pop_back();
    }
    return listing;
  }

 private:
  std::ostringstream names_;
  std::ostringstream messages_;
};

// A display that shows nothing: a --child's parent prints the lines (bench/isolated_runs.hpp).
class SilentDisplay final : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>&) override {}
};

// The pass-through flags a child gets: those that shape a run, not the display or the order.
std::vector<std::string> child_flags(const Options& options) {
  std::vector<std::string> flags;
  for (const std::string& flag : options.benchmark_flags) {
    const auto name = bench::split_option(flag).first;
    if (name != "--benchmark_format" && name != "--benchmark_enable_random_interleaving" &&
        name != "--benchmark_color" && name != "--benchmark_counters_tabular") {
      flags.push_back(flag);
    }
  }
  return flags;
}

int run_isolated(const Options& options, std::vector<std::string> names,
                 const std::string& command_line) {
  const std::string format = bench::benchmark_format(options);
  if (format == "csv") {
    std::cerr << "corio-bench: --benchmark_format=csv needs --in-process (each run has its own "
                 "process; use --out FILE.json for the merged results)\n";
    return exit_status(ExitCode::bad_input);
  }
  bench::IsolatedRuns runs;
  runs.executable = std::filesystem::read_symlink("/proc/self/exe").string();
  runs.profile = options.profile;
  runs.names = std::move(names);
  runs.repetitions =
      options.repetitions > 0 ? options.repetitions : bench::default_repetitions(options.profile);
  runs.shuffle_rounds = bench::random_interleaving(options);
  runs.child_flags = child_flags(options);
  runs.out = options.out;
  runs.json_to_stdout = format == "json";
  runs.command_line = command_line;
  return bench::run_isolated(runs);
}

void add_run_context(const Options& options, const std::string& command_line,
                     bool per_run_peak_rss) {
  namespace info = bench::build_info;
  benchmark::AddCustomContext("corio_profile", std::string(bench::to_string(options.profile)));
  benchmark::AddCustomContext("corio_build_type", std::string(info::build_type));
  benchmark::AddCustomContext("corio_compiler", std::string(info::compiler));
  benchmark::AddCustomContext("corio_cxx_flags", std::string(info::cxx_flags));
  benchmark::AddCustomContext("corio_boost_version", BOOST_LIB_VERSION);
  benchmark::AddCustomContext("corio_libuv_version", uv_version_string());
  benchmark::AddCustomContext("corio_benchmark_version", std::string(info::benchmark_version));
  if (!info::git_revision.empty()) {
    benchmark::AddCustomContext("corio_git_revision", std::string(info::git_revision));
  }
  // Whether peak_rss_bytes is each run's own peak or the process's peak so far (the kernel
  // may refuse the reset; see harness/rusage.hpp).
  benchmark::AddCustomContext("corio_peak_rss_scope", per_run_peak_rss ? "run" : "process");
  // The malloc policy the figures were taken under (pinned in main(); the child processes'
  // GLIBC_TUNABLES, which the user may have set instead).
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  benchmark::AddCustomContext("corio_glibc_tunables", tunables != nullptr ? tunables : "");
  benchmark::AddCustomContext("corio_command_line", command_line);
}

// The registrar's notes about rows it left out (harness/registrar.hpp), for the workloads
// among the selected rows: a run of other workloads has nothing to miss.
void say_notes(const std::vector<harness::Registrar::Note>& notes,
               const std::vector<std::string>& selected) {
  for (const harness::Registrar::Note& note : notes) {
    const std::string prefix = note.workload + "/";
    if (std::ranges::any_of(
            selected, [&prefix](const std::string& name) { return name.starts_with(prefix); })) {
      std::cerr << "corio-bench: " << note.text << '\n';
    }
  }
}

int run_benchmarks(const Options& options, char* program, const std::string& command_line) {
  const std::string_view profile = bench::to_string(options.profile);
  harness::Registrar registrar = harness::Registrar::benchmarks(options.profile);
  workloads::register_all(registrar);

  // Pass 1: validate the pass-through flags and resolve the filter, before any work.
  std::vector<std::string> flags = options.benchmark_flags;
  flags.emplace_back("--benchmark_list_tests=true");
  if (const Rejected rejected = initialize_benchmark(program, flags); !rejected.flag.empty()) {
    if (rejected.reason.empty()) {
      std::cerr << "corio-bench: unknown flag '" << rejected.flag
                << "' (Google Benchmark's flags are listed by corio-bench --help)\n";
    } else {
      std::cerr << "corio-bench: malformed flag '" << rejected.flag << "': " << rejected.reason
                << '\n';
    }
    return exit_status(ExitCode::bad_input);
  }
  const NameCollector::Listing listing = NameCollector::list(options.filter);
  if (listing.names.empty()) {
    if (options.filter.empty()) {
      std::cerr << "corio-bench: no benchmark is registered for profile " << profile
                << " (workloads/list.hpp names the workload folders)\n";
      return exit_status(ExitCode::success);
    }
    if (listing.messages.find("Could not compile") != std::string::npos) {
      std::cerr << "corio-bench: --filter '" << options.filter
                << "' is not a valid regular expression (" << listing.messages << ")\n";
    } else {
      std::cerr << "corio-bench: --filter '" << options.filter << "' matches none of the "
                << NameCollector::list("").names.size() << " benchmarks of profile " << profile
                << " (corio-bench --profile " << profile << " --list shows them)\n";
    }
    return exit_status(ExitCode::bad_input);
  }
  if (options.list) {
    say_notes(registrar.notes(), listing.names);
    for (const std::string& name : listing.names) std::cout << name << '\n';
    return exit_status(ExitCode::success);
  }

  if (!options.out.empty()) {
    // Google Benchmark would exit(1) only once it gets there; append mode keeps what is there.
    if (!std::ofstream(options.out, std::ios::app)) {
      std::cerr << "corio-bench: cannot write --out '" << options.out
                << "': " << std::generic_category().message(errno) << '\n';
      return exit_status(ExitCode::bad_input);
    }
  }
  if (!options.child) say_notes(registrar.notes(), listing.names);

  if (!options.in_process) return run_isolated(options, listing.names, command_line);

  // Pass 2: the real run. Flags parsed in pass 1 keep their values; only ours change.
  flags = {"--benchmark_list_tests=false"};
  if (!options.out.empty()) {
    flags.push_back("--benchmark_out=" + options.out);
    flags.emplace_back("--benchmark_out_format=json");
  }
  // A child runs one repetition: its parent counts them.
  const int repetitions = options.child             ? 1
                          : options.repetitions > 0 ? options.repetitions
                                                    : bench::default_repetitions(options.profile);
  if (repetitions > 1) {
    flags.push_back("--benchmark_repetitions=" + std::to_string(repetitions));
    // Every repetition in the display and the JSON, then the aggregates: the reporter counts
    // failures from the runs it sees, and readers want the spread, not only the mean.
    flags.emplace_back("--benchmark_report_aggregates_only=false");
    flags.emplace_back("--benchmark_display_aggregates_only=false");
  }
  initialize_benchmark(program, flags);
  add_run_context(options, command_line, harness::reset_peak_rss());

  bench::ProgressReporter::Settings settings;
  settings.names = listing.names;
  settings.names_in_order = !bench::random_interleaving(options);
  settings.overwrite = ::isatty(STDERR_FILENO) != 0;
  settings.debug_library_note =
      "note: the warning above is about Debian's Google Benchmark library (its timing loop), "
      "not corio-bench, which is a " +
      std::string(bench::build_info::build_type) + " build (corio_build_type in the JSON context)";
  // A leaked static owned by Google Benchmark; it honours --benchmark_format and _color.
  SilentDisplay silent;
  benchmark::BenchmarkReporter* display =
      options.child ? &silent : benchmark::CreateDefaultDisplayReporter();
  std::ostringstream discarded_progress;
  bench::ProgressReporter reporter(*display, options.child ? discarded_progress : std::cerr,
                                   std::move(settings));
  benchmark::RunSpecifiedBenchmarks(&reporter, options.filter);
  benchmark::Shutdown();

  if (reporter.failed_runs() > 0) {
    // A child's parent reports the failure with the rest.
    if (options.child) return exit_status(ExitCode::run_failed);
    std::cerr << "corio-bench: " << reporter.failed_runs() << " run(s) failed their check or "
              << "threw (ERROR OCCURRED above; error_message in the JSON)\n";
    return exit_status(ExitCode::run_failed);
  }
  return exit_status(ExitCode::success);
}

}  // namespace

int main(int argc, char** argv) {
  // Before anything allocates or starts a process: every call of every model, servers
  // included, on the same malloc policy (harness/malloc_policy.hpp).
  harness::pin_malloc_thresholds();
  const std::vector<std::string> args(argv + 1, argv + argc);
  std::string command_line = "corio-bench";
  for (const std::string& arg : args) command_line += " " + arg;

  const bench::ParseResult parsed = bench::parse_command_line(args);
  if (!parsed.ok()) {
    std::cerr << parsed.error << '\n';
    return exit_status(ExitCode::bad_input);
  }
  const Options& options = parsed.options;
  switch (options.command) {
    case bench::Command::help:
      std::cout << bench::usage() << "\nGoogle Benchmark's flags:\n" << std::flush;
      benchmark::PrintDefaultHelp();
      return exit_status(ExitCode::success);
    case bench::Command::serve: {
      // Every workload's servers, before the name on the command line is looked up.
      harness::Registrar registrar = harness::Registrar::servers();
      workloads::register_all(registrar);
      return bench::serve_command(options.command_args);
    }
    case bench::Command::load:
      return bench::load_command(options.command_args);
    case bench::Command::run:
      break;
  }
  try {
    return run_benchmarks(options, argv[0], command_line);
  } catch (const std::exception& e) {
    // Models' exceptions are caught per run (workload_impl.hpp); this is registration failing.
    std::cerr << "corio-bench: " << e.what() << '\n';
    return exit_status(ExitCode::run_failed);
  }
}
