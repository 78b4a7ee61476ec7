#pragma once
// Runs every benchmark repetition in a fresh corio-bench process, so that no figure depends
// on what ran before it.
//
//   bench::IsolatedRuns      what to run: names (from a --list pass), repetitions, flags
//   bench::run_isolated      runs them, prints a line per run and progress, merges the JSON
//   bench::exact_name_filter the --filter that selects exactly one benchmark name
//
// Why a process per run: in one process, later benchmarks inherit what earlier ones left (a
// frame pool holding a million frames, a grown heap, page tables that make fork() slow), and
// peak RSS starts from what is resident. Measured in the reference run of 2026-11-25: corio's
// spawn+join was 52.5 ns inside the full run and 22 ns alone, and every runtime row's peak
// RSS read 78.5 MiB. A fresh process costs about 30 ms here (exec, registering every
// benchmark, Google Benchmark's set-up), small beside a run's 0.15 s minimum time.
//
// Order: the repetitions are interleaved: round r runs every selected benchmark once, in --list
// order (shuffled per round with --benchmark_enable_random_interleaving=true), before round
// r + 1 starts, so a slow phase of a shared machine spreads over the benchmarks instead of
// landing on all repetitions of one.
//
// Each child is `corio-bench --child --profile P --filter ^NAME$ --out TMP.json [flags]`,
// dies with this process (PR_SET_PDEATHSIG), inherits stderr (a model's or server's messages
// reach the user) and has stdout on /dev/null. A child that exits 3 wrote its failed row; one
// that crashed gets a row saying how it ended; exit 2 from a child (cannot happen after the
// --list pass validated everything) stops the run. SIGINT/SIGTERM/SIGHUP are passed on to the
// running child, and the run stops after it.

#include <string>
#include <vector>

#include "harness/workload.hpp"

namespace bench {

struct IsolatedRuns {
  std::string executable;  // this program, as exec'd by each child
  harness::Profile profile = harness::Profile::quick;
  std::vector<std::string> names;  // full benchmark names, in --list order
  int repetitions = 1;
  bool shuffle_rounds = false;           // --benchmark_enable_random_interleaving=true
  std::vector<std::string> child_flags;  // pass-through --benchmark_* flags for every child
  std::string out;                       // merged JSON goes here ("" = nowhere)
  bool json_to_stdout = false;           // --benchmark_format=json: the merged JSON on stdout
  std::string command_line;              // recorded in the context as corio_command_line
};

// Returns the process exit status: 0 all passed, 2 bad input, 3 a run failed, 128 + signal
// when interrupted.
int run_isolated(const IsolatedRuns& runs);

// "^" + name with regex metacharacters escaped + "$".
[[nodiscard]] std::string exact_name_filter(const std::string& name);

}  // namespace bench
