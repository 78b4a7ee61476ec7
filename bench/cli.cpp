#include "bench/cli.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>
#include <utility>

namespace bench {
namespace {

constexpr std::string_view prefix = "corio-bench: ";
constexpr std::string_view accepted_options =
    "--profile, --filter, --list, --out, --repetitions, --in-process, --benchmark_*=VALUE, "
    "--v=N, --help";

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

std::string error(std::string_view text) { return std::string(prefix) + std::string(text); }

// Built by appending: GCC 12 warns (-Wrestrict, a false positive: GCC PR 105329) about
// "literal" + std::string at -O2.
std::string quoted(std::string_view value) {
  std::string text;
  text.reserve(value.size() + 2);
  text += '\'';
  text += value;
  text += '\'';
  return text;
}

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

// Checks one "--benchmark_*" argument; returns the error line or "".
std::string check_benchmark_flag(std::string_view arg) {
  const auto [name, value] = split_option(arg);
  const std::string_view flag = name.substr(2);
  for (const OwnedFlag& owned : owned_flags) {
    if (flag == owned.flag) {
      return error(quoted(arg) + " is set by corio-bench: " + std::string(owned.instead));
    }
  }
  // 1.7.1 answers a bad format by printing its help and exiting 0, which would hide the mistake.
  if (flag == "benchmark_format" && !(value == "console" || value == "json" || value == "csv")) {
    return error("unknown --benchmark_format " + quoted(value.value_or("")) +
                 " (accepted: console, json, csv)");
  }
  return "";
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
  Options& options = result.options;

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    const auto [name, inline_value] = split_option(arg);

    // The value of an option that takes one: after '=' or the next argument.
    auto take_value = [&, name = name, inline_value = inline_value](
                          std::string_view what) -> std::optional<std::string_view> {
      if (inline_value) {
        if (!inline_value->empty()) return inline_value;
      } else if (i + 1 < args.size()) {
        return std::string_view(args[++i]);
      }
      result.error = error(std::string(name) + " needs a value (" + std::string(what) + ")");
      return std::nullopt;
    };

    if (arg == "--help" || arg == "-h") {
      options.command = Command::help;
      return result;
    }
    if (name == "--profile") {
      const auto value = take_value("quick or full");
      if (!value) return result;
      const auto profile = parse_profile(*value);
      if (!profile) {
        result.error = error("unknown profile " + quoted(*value) + " (accepted: quick, full)");
        return result;
      }
      options.profile = *profile;
    } else if (name == "--filter" || name == "--benchmark_filter") {
      // --benchmark_filter: Google Benchmark's spelling, which its users type; the same regex.
      const auto value = take_value("a regular expression over benchmark names");
      if (!value) return result;
      options.filter = *value;
    } else if (name == "--out") {
      const auto value = take_value("a file name for the JSON results");
      if (!value) return result;
      options.out = *value;
    } else if (name == "--repetitions") {
      const auto value = take_value("a whole number >= 1");
      if (!value) return result;
      const auto repetitions = parse_repetitions(*value);
      if (!repetitions) {
        result.error = error("--repetitions " + quoted(*value) +
                             " is not a whole number >= 1 (accepted: 1, 2, 3, ...)");
        return result;
      }
      options.repetitions = *repetitions;
    } else if (arg == "--list") {
      options.list = true;
    } else if (arg == "--in-process") {
      options.in_process = true;
    } else if (arg == "--child") {
      options.child = true;
      options.in_process = true;
    } else if (arg.starts_with("--benchmark_") || name == "--v") {  // --v: its log verbosity
      if (std::string bad = check_benchmark_flag(arg); !bad.empty()) {
        result.error = std::move(bad);
        return result;
      }
      options.benchmark_flags.emplace_back(arg);
    } else if (arg == "serve" || arg == "load") {
      options.command = arg == "serve" ? Command::serve : Command::load;
      options.command_args.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      return result;
    } else if (arg.starts_with("-")) {
      result.error = error("unknown option " + quoted(arg) +
                           " (accepted: " + std::string(accepted_options) + ")");
      return result;
    } else {
      result.error = error("unknown command " + quoted(arg) +
                           " (accepted: serve, load, or no command to run the benchmarks)");
      return result;
    }
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
  return R"(Usage: corio-bench [--profile quick|full] [--filter REGEX] [--list] [--out FILE.json]
                   [--repetitions N] [--in-process] [--benchmark_*=VALUE ...]
       corio-bench serve WORKLOAD [--model MODEL] --listen HOST:PORT [--param KEY=VALUE ...]
       corio-bench load WORKLOAD --connect HOST:PORT [--connections C] [--duration SECONDS] ...

Runs the suite's benchmarks on Google Benchmark and checks every result.
Names read group/workload/model/key:value/... followed by what Google Benchmark appends
(min_time:0.050, real_time, ...); --filter and --list work on those full names.

Every repetition of every benchmark runs in a fresh corio-bench process, so that no figure
depends on what ran before it (memory left resident, a grown heap, a full frame pool), and
the repetitions are interleaved: each round runs every selected benchmark once.

Options (each also accepts --option=VALUE):
  --profile quick|full  parameter points and minimum time per run: quick (default; CI,
                        minutes, 0.05 s per run, 1 repetition) or full (the real numbers,
                        0.15 s per run, 3 repetitions)
  --filter REGEX        run only the benchmarks whose name matches REGEX (a leading '-'
                        excludes them instead); matching nothing is an error
  --list                print the profile's benchmark names (after --filter), one per line
  --out FILE.json       also write Google Benchmark's JSON there, with corio_* context keys
                        (profile, build type, compiler, flags, dependency versions)
  --repetitions N       run each benchmark N >= 1 times instead of the profile's count;
                        every repetition is reported, then mean, median, stddev and cv
  --in-process          run every benchmark in this one process, one after another (Google
                        Benchmark's way: quicker to start, but figures then depend on what
                        ran before; repetitions run back to back)
  --benchmark_*=VALUE   passed to Google Benchmark 1.7.1, like its --v=N (its flags are
                        listed below); those the options above set are refused
  -h, --help            print this help

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

std::pair<std::string_view, std::optional<std::string_view>> split_option(std::string_view arg) {
  if (const auto eq = arg.find('='); eq != std::string_view::npos) {
    return {arg.substr(0, eq), arg.substr(eq + 1)};
  }
  return {arg, std::nullopt};
}

}  // namespace bench
