#pragma once
// The command line of corio-bench, parsed without side effects so that tests can feed it.
//
//   bench::Command             what to do: run the benchmarks (default), help, serve, load
//   bench::ExitCode            the exit statuses DESIGN.md fixes for every tool of the suite
//   bench::exit_status         ExitCode -> the int a command returns to main()
//   bench::Options             everything the command line says
//   bench::ParseResult         Options, or the one line to print before exiting 2
//   bench::parse_command_line  argv (without argv[0]) -> ParseResult
//   bench::usage               the --help text (its options from the table that parses them)
//
// One language for the whole suite, bench/options.hpp's (which also gives bench::split_option):
// `--option VALUE` or `--option=VALUE`, subcommands as the first word that is not an option,
// Google Benchmark's own flags passed through as `--benchmark_*=VALUE` (and its `--v=N`) except
// those an option of ours already sets.

#include <string>
#include <string_view>
#include <vector>

#include "bench/options.hpp"
#include "harness/workload.hpp"

namespace bench {

// Profiles are the harness's: the workloads choose their points by them.
using harness::Profile;

enum class Command { run, help, serve, load };

enum class ExitCode : int {
  success = 0,
  regression = 1,  // a comparison found a regression (run_all.sh compare)
  bad_input = 2,   // unknown name, impossible parameter, corrupt file: nothing was run
  run_failed = 3,  // a run failed its check, threw, or a server died
};

// What main() returns: the commands return int (serve_command is also a test binary's main).
[[nodiscard]] constexpr int exit_status(ExitCode code) { return static_cast<int>(code); }

struct Options {
  Command command = Command::run;
  Profile profile = Profile::quick;
  std::string filter;  // a regex over full benchmark names; empty selects every benchmark
  bool list = false;
  std::string out;      // Google Benchmark JSON goes here too; empty: no file
  int repetitions = 0;  // 0: the profile's (default_repetitions)
  // Run every benchmark in this process, one after another, as Google Benchmark does, instead
  // of each repetition in a fresh process (bench/isolated_runs.hpp).
  bool in_process = false;
  // Internal: this process is one of those fresh processes. It runs in-process and prints
  // nothing but errors; its parent reads its --out file.
  bool child = false;
  std::vector<std::string> benchmark_flags;  // "--benchmark_*" and "--v=N", passed through as is
  std::vector<std::string> command_args;     // what follows `serve` or `load`
};

struct ParseResult {
  Options options;
  std::string error;  // "corio-bench: ..." without a newline; empty when the line was valid
  [[nodiscard]] bool ok() const { return error.empty(); }
};

[[nodiscard]] ParseResult parse_command_line(const std::vector<std::string>& args);

[[nodiscard]] std::string usage();

// Repetitions when --repetitions is not given: full 3 (medians and spreads), quick 1.
[[nodiscard]] int default_repetitions(Profile profile);

// The --benchmark_format the pass-through flags ask for ("console" when none does).
[[nodiscard]] std::string benchmark_format(const Options& options);

[[nodiscard]] std::string_view to_string(Profile profile);
[[nodiscard]] std::string_view to_string(Command command);

// Whether the pass-through flags turn on --benchmark_enable_random_interleaving, in which case
// runs do not happen in --list order (the progress lines then cannot name the next run).
[[nodiscard]] bool random_interleaving(const Options& options);

}  // namespace bench
