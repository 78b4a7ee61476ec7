#include "bench/cli.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>

#include "bench/load.hpp"
#include "bench/serve.hpp"

namespace bench {
namespace {

// Google Benchmark flags that one of our options sets: passing them too would make two
// spellings of one thing, and some would break the harness (aggregates-only display hides the
// failed repetitions from the reporter that counts them; the profile's MinTime overrides
// --benchmark_min_time silently).
struct OwnedFlag {
  std::string_view flag;
  std::string_view instead;
};
constexpr std::array owned_flags{
    OwnedFlag{.flag = "benchmark_list_tests", .instead = "use --list"},
    OwnedFlag{.flag = "benchmark_out", .instead = "use --out FILE.json"},
    OwnedFlag{.flag = "benchmark_out_format", .instead = "--out always writes JSON"},
    OwnedFlag{.flag = "benchmark_repetitions", .instead = "use --repetitions N"},
    OwnedFlag{.flag = "benchmark_report_aggregates_only",
              .instead = "--repetitions sets it (false)"},
    OwnedFlag{.flag = "benchmark_display_aggregates_only",
              .instead = "--repetitions sets it (false)"},
    OwnedFlag{.flag = "benchmark_min_time",
              .instead = "--profile sets it (quick 0.05 s, full 0.15 s per run)"},
};

std::optional<Profile> parse_profile(std::string_view text) {
  if (text == "quick") return Profile::quick;
  if (text == "full") return Profile::full;
  return std::nullopt;
}

std::optional<int> parse_repetitions(std::string_view text) {
  int value = 0;
  const char* const end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value < 1) return std::nullopt;
  return value;
}

// Google Benchmark's own reading of a boolean flag value (IsTruthyFlagValue in 1.7.1).
bool truthy(std::string_view value) {
  if (value.empty()) return true;
  std::string lower(value);
  std::ranges::transform(lower, lower.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.size() == 1) {
    return std::isalnum(static_cast<unsigned char>(lower[0])) != 0 && lower != "0" &&
           lower != "f" && lower != "n";
  }
  return lower != "false" && lower != "no" && lower != "off";
}

// Checks one "--benchmark_*" argument; returns the refusal or "".
std::string check_benchmark_flag(std::string_view arg) {
  const auto [name, value] = split_option(arg);
  const std::string_view flag = name.substr(2);
  for (const OwnedFlag& owned : owned_flags) {
    if (flag == owned.flag) {
      return quoted(arg) + " is set by corio-bench: " + std::string(owned.instead);
    }
  }
  // 1.7.1 answers a bad format by printing its help and exiting 0, which would hide the mistake.
  if (flag == "benchmark_format" && !(value == "console" || value == "json" || value == "csv")) {
    return "unknown --benchmark_format " + quoted(value.value_or("")) +
           " (accepted: console, json, csv)";
  }
  return "";
}

// The run's command line. The setters write into `options`, which must outlive the table.
OptionTable run_table(Options& options) {
  auto set_filter = [&options](std::string_view regex) {
    options.filter = regex;
    return std::string();
  };
  // Google Benchmark parses these itself (main.cpp hands them over); only ours are checked here.
  auto pass_through = [&options](std::string_view arg) {
    std::string bad = check_benchmark_flag(arg);
    if (bad.empty()) options.benchmark_flags.emplace_back(arg);
    return bad;
  };
  return OptionTable{
      .command = "corio-bench",
      .options =
          {
              {.name = "--profile",
               .value_name = "quick|full",
               .help = "parameter points and minimum time per run: quick (default; CI,\n"
                       "minutes, 0.05 s per run, 1 repetition) or full (the real numbers,\n"
                       "0.15 s per run, 3 repetitions)",
               .set = [&options](std::string_view value) -> std::string {
                 const auto profile = parse_profile(value);
                 if (!profile) {
                   return "unknown profile " + quoted(value) + " (accepted: quick, full)";
                 }
                 options.profile = *profile;
                 return "";
               }},
              {.name = "--filter",
               .value_name = "REGEX",
               .help = "run only the benchmarks whose name matches REGEX (a leading '-'\n"
                       "excludes them instead); matching nothing is an error",
               .set = set_filter},
              // Google Benchmark's spelling, which its users type: the same regex.
              {.name = "--benchmark_filter", .value_name = "REGEX", .set = set_filter},
              {.name = "--list",
               .takes = Takes::nothing,
               .help = "print the profile's benchmark names (after --filter), one per line",
               .set = set_true(options.list)},
              {.name = "--out",
               .value_name = "FILE.json",
               .help = "also write Google Benchmark's JSON there, with corio_* context keys\n"
                       "(profile, build type, compiler, flags, dependency versions)",
               .set = store_into(options.out)},
              {.name = "--repetitions",
               .value_name = "N",
               .help = "run each benchmark N >= 1 times instead of the profile's count;\n"
                       "every repetition is reported, then mean, median, stddev and cv",
               .set = [&options](std::string_view value) -> std::string {
                 const auto repetitions = parse_repetitions(value);
                 if (!repetitions) {
                   return "--repetitions " + quoted(value) +
                          " is not a whole number >= 1 (accepted: 1, 2, 3, ...)";
                 }
                 options.repetitions = *repetitions;
                 return "";
               }},
              {.name = "--in-process",
               .takes = Takes::nothing,
               .help = "run every benchmark in this one process, one after another (Google\n"
                       "Benchmark's way: quicker to start, but figures then depend on what\n"
                       "ran before; repetitions run back to back)",
               .set = set_true(options.in_process)},
              // Internal, for the parent of isolated runs (bench/isolated_runs.hpp).
              {.name = "--child",
               .takes = Takes::nothing,
               .set =
                   [&options](std::string_view) {
                     options.child = true;
                     options.in_process = true;
                     return std::string();
                   }},
              {.name = "--benchmark_*",
               .takes = Takes::verbatim,
               .value_name = "VALUE",
               .help = "passed to Google Benchmark 1.7.1 (its flags are listed below);\n"
                       "those the options above set are refused",
               .repeatable = true,
               .set = pass_through},
              {.name = "--v",
               .takes = Takes::verbatim,
               .value_name = "N",
               .help = "Google Benchmark's log verbosity, passed to it",
               .set = pass_through},
              {.name = "--help",
               .short_name = "-h",
               .takes = Takes::nothing,
               .help = "print this help",
               .ends_parsing = true,
               .set =
                   [&options](std::string_view) {
                     options.command = Command::help;
                     return std::string();
                   }},
          },
      // Hidden: the usage text shows serve's and load's own synopses instead.
      .positional =
          OptionSpec{.name = "COMMAND",
                     .ends_parsing = true,
                     .set = [&options](std::string_view word) -> std::string {
                       if (word == "serve" || word == "load") {
                         options.command = word == "serve" ? Command::serve : Command::load;
                         return "";
                       }
                       return "unknown command " + quoted(word) +
                              " (accepted: serve, load, or no command to run the benchmarks)";
                     }},
  };
}

}  // namespace

std::string_view to_string(Profile profile) { return profile == Profile::quick ? "quick" : "full"; }

std::string_view to_string(Command command) {
  switch (command) {
    case Command::run:
      return "run";
    case Command::help:
      return "help";
    case Command::serve:
      return "serve";
    case Command::load:
      return "load";
  }
  return "?";
}

ParseResult parse_command_line(const std::vector<std::string>& args) {
  ParseResult result;
  const TableParse parsed = run_table(result.options).parse(args);
  result.error = parsed.error;
  // Whatever follows `serve` or `load` is theirs to parse.
  if (result.ok() &&
      (result.options.command == Command::serve || result.options.command == Command::load)) {
    result.options.command_args.assign(parsed.rest.begin(), parsed.rest.end());
  }
  return result;
}

int default_repetitions(Profile profile) { return profile == Profile::full ? 3 : 1; }

std::string benchmark_format(const Options& options) {
  std::string format = "console";  // the last occurrence wins, as in Google Benchmark
  for (const std::string& arg : options.benchmark_flags) {
    const auto [name, value] = split_option(arg);
    if (name == "--benchmark_format") format = value.value_or("");
  }
  return format;
}

bool random_interleaving(const Options& options) {
  bool on = false;  // the last occurrence wins, as in Google Benchmark's own parsing
  for (const std::string& arg : options.benchmark_flags) {
    const auto [name, value] = split_option(arg);
    if (name == "--benchmark_enable_random_interleaving") on = truthy(value.value_or(""));
  }
  return on;
}

std::string usage() {
  Options scratch;  // the table's setters need somewhere to write; nothing is parsed
  const OptionTable table = run_table(scratch);
  return table.synopsis() + serve_synopsis("       ") + load_synopsis("       ") + R"(
Runs the suite's benchmarks on Google Benchmark and checks every result.
Names read group/workload/model/key:value/... followed by what Google Benchmark appends
(min_time:0.050, real_time, ...); --filter and --list work on those full names.

Every repetition of every benchmark runs in a fresh corio-bench process, so that no figure
depends on what ran before it (memory left resident, a grown heap, a full frame pool), and
the repetitions are interleaved: each round runs every selected benchmark once.

Options (each also accepts --option=VALUE):
)" + table.help() +
         R"(
serve runs one model's server of a network workload (tcp_echo, http_plaintext, ...) on
HOST:PORT (port 0 picks a free one) until SIGTERM or SIGINT; it prints "corio-bench:
serving WORKLOAD (MODEL) on HOST:PORT" once listening. load runs the suite's load generator
against such a server on another host and prints requests/s, latency percentiles and errors
(a summary and one JSON line). `corio-bench serve --help` and `corio-bench load --help` say
more.

Progress ([i/N] name ... elapsed, ETA) goes to stderr, results to stdout.
Exit status: 0 every run passed its check; 2 bad input (nothing was run);
             3 a run failed its check or threw (its error_message says why).
)";
}

}  // namespace bench
