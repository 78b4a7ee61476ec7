// bench::OptionTable, the parser of corio-bench's three commands: both spellings of a value,
// flags, Google Benchmark's flags taken whole, positional arguments, required options, the
// argument that ends parsing, one-line refusals; and the help and synopsis it writes.
#include "bench/options.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace bench {
namespace {

// A table whose setters record "name=value" for each call; --size refuses "bad".
struct Recorder {
  std::vector<std::string> calls;

  OptionSpec option(const std::string& name, Takes takes = Takes::value,
                    std::string help = "help") {
    OptionSpec spec{.name = name, .takes = takes, .value_name = "V", .help = std::move(help)};
    spec.set = [this, name](std::string_view value) -> std::string {
      if (value == "bad") return name + " " + quoted(value) + " is not good";
      calls.push_back(name + "=" + std::string(value));
      return "";
    };
    return spec;
  }

  OptionTable table() {
    OptionTable table{.command = "corio-bench tool"};
    table.options = {option("--size"), option("--flag", Takes::nothing),
                     option("--bench_*", Takes::verbatim), option("--bench_exact"),
                     option("--hidden", Takes::value, "")};
    table.options.back().value_name.clear();
    OptionSpec help = option("--help", Takes::nothing);
    help.short_name = "-h";
    help.ends_parsing = true;
    table.options.push_back(help);
    table.positional = option("THING");
    return table;
  }
};

TableParse parse(const OptionTable& table, const std::vector<std::string>& args) {
  return table.parse(args);
}

void expect_refusal(const TableParse& result, const std::string& part) {
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.error.starts_with("corio-bench: tool: ")) << result.error;
  EXPECT_EQ(result.error.find('\n'), std::string::npos) << result.error;
  EXPECT_NE(result.error.find(part), std::string::npos) << result.error;
}

TEST(Options, TakesAValueAfterASpaceOrAnEqualsSign) {
  Recorder recorder;
  OptionTable table = recorder.table();
  ASSERT_TRUE(parse(table, {"--size", "1", "--size=2", "--size=a=b"}).ok());
  EXPECT_EQ(recorder.calls, (std::vector<std::string>{"--size=1", "--size=2", "--size=a=b"}));
}

TEST(Options, TakesTheNextArgumentAsItIs) {
  Recorder recorder;
  OptionTable table = recorder.table();
  ASSERT_TRUE(parse(table, {"--size", "-1", "--size", ""}).ok());
  EXPECT_EQ(recorder.calls, (std::vector<std::string>{"--size=-1", "--size="}));
}

TEST(Options, RefusesAMissingValue) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--size"}, std::vector<std::string>{"--size="}}) {
    Recorder recorder;
    OptionTable table = recorder.table();
    const TableParse result = parse(table, args);
    expect_refusal(result, "--size needs a value (--size V, see corio-bench tool --help)");
    EXPECT_TRUE(recorder.calls.empty());
  }
}

TEST(Options, PrefixesTheSettersRefusal) {
  Recorder recorder;
  OptionTable table = recorder.table();
  const TableParse result = parse(table, {"--size=bad", "--flag"});
  expect_refusal(result, "--size 'bad' is not good");
  EXPECT_TRUE(recorder.calls.empty()) << "parsing stops at the first refusal";
}

TEST(Options, FlagRefusesAValue) {
  Recorder recorder;
  OptionTable table = recorder.table();
  ASSERT_TRUE(parse(table, {"--flag"}).ok());
  expect_refusal(parse(table, {"--flag=yes"}), "'--flag=yes'");
}

TEST(Options, UnknownOptionListsTheVisibleOnes) {
  Recorder recorder;
  OptionTable table = recorder.table();
  for (const char* unknown : {"--frobnicate", "-x", "-", "--siz", "--bench"}) {
    const TableParse result = parse(table, {unknown});
    expect_refusal(result, std::string("unknown option '") + unknown + "' (accepted: --size, " +
                               "--flag, --bench_*=V, --bench_exact, --help)");
  }
}

TEST(Options, VerbatimOptionGetsTheWholeArgumentAndNeverTheNext) {
  Recorder recorder;
  OptionTable table = recorder.table();
  // "THING" after the flag is the positional argument, not the flag's value.
  ASSERT_TRUE(parse(table, {"--bench_a=1", "--bench_b", "thing"}).ok());
  EXPECT_EQ(recorder.calls, (std::vector<std::string>{"--bench_*=--bench_a=1",
                                                      "--bench_*=--bench_b", "THING=thing"}));
}

TEST(Options, ExactNameWinsOverAPrefixPattern) {
  Recorder recorder;
  OptionTable table = recorder.table();
  ASSERT_TRUE(parse(table, {"--bench_exact", "x"}).ok());
  EXPECT_EQ(recorder.calls, (std::vector<std::string>{"--bench_exact=x"}));
}

TEST(Options, EndingOptionLeavesTheRestUnparsedAndUnchecked) {
  Recorder recorder;
  OptionTable table = recorder.table();
  table.options.front().missing = "--size is required";
  const std::vector<std::string> args{"--flag", "-h", "--frobnicate", "x"};
  const TableParse result = table.parse(args);  // rest points into args
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(std::vector<std::string>(result.rest.begin(), result.rest.end()),
            (std::vector<std::string>{"--frobnicate", "x"}));
  EXPECT_EQ(recorder.calls, (std::vector<std::string>{"--flag=", "--help="}));
}

TEST(Options, RequiredPositionalIsCheckedBeforeRequiredOptions) {
  Recorder recorder;
  OptionTable table = recorder.table();
  OptionSpec thing = recorder.option("THING");
  thing.missing = "which thing?";
  table.positional = thing;
  table.options.front().missing = "--size is required";
  expect_refusal(parse(table, {}), "which thing?");
  expect_refusal(parse(table, {"thing"}), "--size is required");
  EXPECT_TRUE(parse(table, {"thing", "--size=1"}).ok());
}

TEST(Options, SecondPositionalIsRefusedUnlessRepeatable) {
  Recorder recorder;
  OptionTable table = recorder.table();
  expect_refusal(parse(table, {"a", "b"}), "unexpected argument 'b' after thing 'a'");
  OptionSpec things = recorder.option("THING");
  things.repeatable = true;
  table.positional = things;
  EXPECT_TRUE(parse(table, {"a", "b"}).ok());
  table.positional.reset();
  expect_refusal(parse(table, {"a"}), "unexpected argument 'a'");
}

TEST(Options, HelpAlignsVisibleOptionsUnderOneColumn) {
  Recorder recorder;
  OptionTable table = recorder.table();
  table.options.front().help = "first line\nsecond line";
  EXPECT_EQ(table.help(),
            "  THING            help\n"
            "  --size V         first line\n"
            "                   second line\n"
            "  --flag           help\n"
            "  --bench_*=V      help\n"
            "  --bench_exact V  help\n"
            "  -h, --help       help\n");
}

TEST(Options, SynopsisBracketsOptionalOnesAndWraps) {
  Recorder recorder;
  OptionTable table = recorder.table();
  table.options.front().missing = "required";
  table.options[2].repeatable = true;
  EXPECT_EQ(table.synopsis(),
            "Usage: corio-bench tool [THING] --size V [--flag] [--bench_*=V ...] "
            "[--bench_exact V]\n");
  for (int i = 0; i < 4; ++i) table.options.push_back(recorder.option("--long-option-name"));
  EXPECT_EQ(table.synopsis("       "),
            "       corio-bench tool [THING] --size V [--flag] [--bench_*=V ...] "
            "[--bench_exact V]\n"
            "                        [--long-option-name V] [--long-option-name V] "
            "[--long-option-name V]\n"
            "                        [--long-option-name V]\n");
}

TEST(Options, SplitsNameAndValueAtTheFirstEqualsSign) {
  EXPECT_EQ(split_option("--a=b=c"),
            (std::pair<std::string_view, std::optional<std::string_view>>{"--a", "b=c"}));
  EXPECT_EQ(split_option("--a").second, std::nullopt);
  EXPECT_EQ(split_option("--a=").second, "");
}

}  // namespace
}  // namespace bench
