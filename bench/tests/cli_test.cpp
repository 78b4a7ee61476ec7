// bench::parse_command_line: every accepted spelling, and a one-line error naming the bad
// value and the accepted ones for everything else.
#include "bench/cli.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace bench {
namespace {

ParseResult parse(std::vector<std::string> args) { return parse_command_line(args); }

// An error is one line, starts with the program name and quotes the offending value.
void expect_refusal(const ParseResult& result, const std::string& offending) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error.rfind("corio-bench: ", 0), 0U) << result.error;
  EXPECT_EQ(result.error.find('\n'), std::string::npos) << result.error;
  EXPECT_NE(result.error.find(offending), std::string::npos) << result.error;
}

TEST(Cli, DefaultsToRunningQuickProfile) {
  const ParseResult result = parse({});
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.options.command, Command::run);
  EXPECT_EQ(result.options.profile, Profile::quick);
  EXPECT_TRUE(result.options.filter.empty());
  EXPECT_FALSE(result.options.list);
  EXPECT_EQ(result.options.repetitions, 0);
}

TEST(Cli, AcceptsValuesAfterSpaceOrEquals) {
  const ParseResult result = parse({"--profile", "full", "--filter=runtime/spawn", "--list",
                                    "--out", "r.json", "--repetitions=3"});
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.options.profile, Profile::full);
  EXPECT_EQ(result.options.filter, "runtime/spawn");
  EXPECT_TRUE(result.options.list);
  EXPECT_EQ(result.options.out, "r.json");
  EXPECT_EQ(result.options.repetitions, 3);
}

TEST(Cli, RejectsUnknownProfile) {
  const ParseResult result = parse({"--profile", "bogus"});
  expect_refusal(result, "'bogus'");
  EXPECT_NE(result.error.find("quick, full"), std::string::npos) << result.error;
}

TEST(Cli, RejectsMissingValue) {
  expect_refusal(parse({"--profile"}), "--profile needs a value");
  expect_refusal(parse({"--filter="}), "--filter needs a value");
}

TEST(Cli, RejectsBadRepetitions) {
  for (const char* bad : {"0", "-1", "two", "3x", ""}) {
    expect_refusal(parse({std::string("--repetitions=") + bad}),
                   bad[0] != '\0' ? std::string("'") + bad + "'" : "needs a value");
  }
}

TEST(Cli, RejectsUnknownOption) {
  const ParseResult result = parse({"--frobnicate"});
  expect_refusal(result, "'--frobnicate'");
  EXPECT_NE(result.error.find("--profile"), std::string::npos) << result.error;
}

TEST(Cli, RejectsUnknownCommand) { expect_refusal(parse({"bench"}), "'bench'"); }

TEST(Cli, PassesBenchmarkFlagsThrough) {
  const ParseResult result =
      parse({"--benchmark_enable_random_interleaving=true", "--benchmark_format=json"});
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.options.benchmark_flags,
            (std::vector<std::string>{"--benchmark_enable_random_interleaving=true",
                                      "--benchmark_format=json"}));
  EXPECT_TRUE(random_interleaving(result.options));
}

TEST(Cli, TakesGoogleBenchmarksFilterSpellingAsFilter) {
  const ParseResult result = parse({"--benchmark_filter=io/|limit/"});
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.options.filter, "io/|limit/");
  EXPECT_TRUE(result.options.benchmark_flags.empty());
}

TEST(Cli, RefusesBenchmarkFlagsAnOptionSets) {
  expect_refusal(parse({"--benchmark_repetitions=2"}), "use --repetitions");
  expect_refusal(parse({"--benchmark_min_time=1"}), "--profile sets it");
}

TEST(Cli, RejectsUnknownBenchmarkFormat) {
  expect_refusal(parse({"--benchmark_format=xml"}), "'xml'");
}

TEST(Cli, ReadsRandomInterleavingAsGoogleBenchmarkDoes) {
  EXPECT_TRUE(random_interleaving(parse({"--benchmark_enable_random_interleaving"}).options));
  EXPECT_FALSE(
      random_interleaving(parse({"--benchmark_enable_random_interleaving=false"}).options));
  EXPECT_FALSE(random_interleaving(parse({"--benchmark_enable_random_interleaving=0"}).options));
  EXPECT_FALSE(random_interleaving(parse({}).options));
}

TEST(Cli, HelpWinsOverEverythingBefore) {
  EXPECT_EQ(parse({"--profile", "full", "--help"}).options.command, Command::help);
  EXPECT_EQ(parse({"-h"}).options.command, Command::help);
}

TEST(Cli, SubcommandTakesTheRestOfTheLine) {
  const ParseResult result = parse({"--profile", "full", "serve", "--port", "0"});
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.options.command, Command::serve);
  EXPECT_EQ(result.options.profile, Profile::full);
  EXPECT_EQ(result.options.command_args, (std::vector<std::string>{"--port", "0"}));
  EXPECT_EQ(parse({"load"}).options.command, Command::load);
}

}  // namespace
}  // namespace bench
