#pragma once
// The one option parser of corio-bench's commands (the benchmark run, serve, load): each
// command declares its options once, as a table, and that table both reads the command line
// and writes the command's --help, so that an option cannot be accepted without being
// documented, nor documented with another name than the one accepted.
//
//   bench::Takes         what an option takes: nothing, a value, or its whole argument verbatim
//   bench::OptionSpec    one option (or the positional argument): names, help, setter
//   bench::OptionTable   a command's options; parse(), synopsis() and help()
//   bench::TableParse    what parse() says: the refusal line, and the arguments left unparsed
//   bench::store_into    a setter that keeps the value in a string
//   bench::set_true      a setter that raises a flag
//   bench::split_option  "--name=value" -> ("--name", "value")
//   bench::quoted        'value', how a refusal names what it refuses
//
// The language, for every command: `--name VALUE` or `--name=VALUE` (an empty value after '='
// counts as missing; an empty next argument is a value), flags without a value, positional
// arguments being those that do not start with '-', and Google Benchmark's flags taken whole
// (`--benchmark_*=VALUE`, never their next argument). Options may come in any order; a second
// occurrence of an option that is not repeatable replaces the first, as Google Benchmark's
// own flags do. Every refusal is one line: "corio-bench: [COMMAND: ]..." naming the bad
// argument and what is accepted instead.

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bench {

enum class Takes {
  nothing,   // a flag: `--list`; `--list=x` is refused
  value,     // `--name VALUE` or `--name=VALUE`
  verbatim,  // the whole argument, as written (`--name` or `--name=VALUE`): a flag passed on
};

struct OptionSpec {
  // "--profile"; for the positional argument its placeholder ("WORKLOAD"). With Takes::verbatim
  // a trailing '*' matches every argument that starts with what precedes it ("--benchmark_*");
  // an exact name elsewhere in the table wins over such a prefix.
  std::string name{};
  std::string short_name{};  // "-h", or empty
  Takes takes = Takes::value;
  std::string value_name{};  // "quick|full": in the help, the synopsis and the missing-value line
  // One or more lines ('\n' between them). Empty hides the option from the help, the synopsis
  // and the accepted list of an unknown-option line: for internal options and aliases.
  std::string help{};
  // The synopsis shows "..."; each occurrence reaches the setter either way.
  bool repeatable = false;
  // The arguments after this one are not parsed but returned (TableParse::rest): --help, which
  // wins over whatever follows, and the run's subcommand words, which own the rest of the line.
  // Such an option is a command line of its own, so the synopsis leaves it out.
  bool ends_parsing = false;
  // Non-empty: the option is required, and this is the refusal when it is absent.
  std::string missing{};
  // Takes the value (the whole argument for Takes::verbatim, "" for Takes::nothing); returns ""
  // or the refusal without the "corio-bench: " prefix.
  std::function<std::string(std::string_view value)> set{};
};

struct TableParse {
  std::string error;                  // the one refusal line, prefix included; "" when valid
  std::span<const std::string> rest;  // the arguments after one that ends parsing
  [[nodiscard]] bool ok() const { return error.empty(); }
};

struct OptionTable {
  // How a user types the command: "corio-bench", "corio-bench serve". It opens the synopsis,
  // and gives the refusals' prefix ("corio-bench: serve: ") and their pointer to --help.
  std::string command{};
  std::vector<OptionSpec> options{};
  // The argument that does not start with '-', if the command takes one. Unless repeatable, a
  // second one is refused ("unexpected argument 'b' after workload 'a'").
  std::optional<OptionSpec> positional{};

  // Hands each argument to its option's setter, in order; stops at the first refusal. Required
  // options are checked once every argument is read (unless one ended parsing), positional
  // first, then in table order. Checks that involve two options are the command's own, after.
  [[nodiscard]] TableParse parse(std::span<const std::string> args) const;

  // "Usage: corio-bench load WORKLOAD --connect HOST:PORT [--connections C] ...", wrapped
  // under the first option to fit 96 columns; `lead` replaces "Usage: " on a second synopsis.
  [[nodiscard]] std::string synopsis(std::string_view lead = "Usage: ") const;

  // One row per visible option, positional first: "  -h, --help  print this help", its
  // help's further lines aligned under the first.
  [[nodiscard]] std::string help() const;

  // "corio-bench: serve: ", what starts every refusal of this command.
  [[nodiscard]] std::string error_prefix() const;
};

// The two setters most options need: keep the value as given, or note that the flag was there.
[[nodiscard]] inline std::function<std::string(std::string_view)> store_into(std::string& target) {
  return [&target](std::string_view value) {
    target = value;
    return std::string();
  };
}
[[nodiscard]] inline std::function<std::string(std::string_view)> set_true(bool& target) {
  return [&target](std::string_view /*value*/) {
    target = true;
    return std::string();
  };
}

// Splits "--name=value" into ("--name", "value"); an argument without '=' is its own name and
// has no value. The views point into `arg`.
[[nodiscard]] std::pair<std::string_view, std::optional<std::string_view>> split_option(
    std::string_view arg);

// "'value'": how every refusal names the argument it refuses.
[[nodiscard]] std::string quoted(std::string_view value);

}  // namespace bench
