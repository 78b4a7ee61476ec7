// parse_load_args: the `corio-bench load` command line into harness::LoadOptions, and its refusals
// (the end-to-end exit statuses are CorioBench.Load* in CMakeLists.txt).
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bench/load.hpp"

namespace bench {
namespace {

using namespace std::chrono_literals;

TEST(LoadCommand, ParsesEveryOption) {
  const LoadParse parsed = parse_load_args({"io/tcp_echo", "--connect", "10.77.0.1:8080",
                                            "--connections=8", "--duration", "2.5", "--warmup", "0",
                                            "--rate", "1000", "--size", "512", "--timeout", "3"});
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  const harness::LoadOptions& o = parsed.command.options;
  EXPECT_EQ(parsed.command.workload, "io/tcp_echo");
  EXPECT_EQ(o.protocol, harness::LoadProtocol::echo);
  EXPECT_EQ(o.host, "10.77.0.1");
  EXPECT_EQ(o.port, 8080);
  EXPECT_EQ(o.connections, 8);
  EXPECT_EQ(o.duration, 2500ms);
  EXPECT_EQ(o.warmup, 0ms);
  EXPECT_EQ(o.rate_per_second, 1000.0);
  EXPECT_EQ(o.message_bytes, 512U);
  EXPECT_EQ(o.request_timeout, 3s);
}

TEST(LoadCommand, HttpPlaintextGetsPlaintextByDefault) {
  const LoadParse parsed = parse_load_args({"http_plaintext", "--connect", "[::1]:80"});
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  EXPECT_EQ(parsed.command.workload, "io/http_plaintext");
  EXPECT_EQ(parsed.command.options.protocol, harness::LoadProtocol::http_get);
  EXPECT_EQ(parsed.command.options.target, "/plaintext");
  EXPECT_EQ(parsed.command.options.host, "::1");
  EXPECT_EQ(parsed.command.options.rate_per_second, 0.0);
  EXPECT_EQ(parsed.command.options.duration, 10s);
  EXPECT_EQ(parsed.command.options.warmup, 1s);
  EXPECT_EQ(parse_load_args({"http_plaintext", "--connect", "h:1", "--target", "/x"})
                .command.options.target,
            "/x");
}

TEST(LoadCommand, RefusesWithOneLineNamingTheProblem) {
  const std::vector<std::vector<std::string>> refused = {
      {},
      {"--connect", "127.0.0.1:1"},
      {"http_json", "--connect", "127.0.0.1:1"},
      {"tcp_echo"},
      {"tcp_echo", "--connect"},
      {"tcp_echo", "--connect", "localhost"},
      {"tcp_echo", "--connect", "127.0.0.1:0"},
      {"tcp_echo", "--connect", "127.0.0.1:1", "--connections", "0"},
      {"tcp_echo", "--connect", "127.0.0.1:1", "--connections", "-3"},
      {"tcp_echo", "--connect", "127.0.0.1:1", "--connections", "2.5"},
      {"tcp_echo", "--connect", "127.0.0.1:1", "--duration", "-1"},
      {"tcp_echo", "--connect", "127.0.0.1:1", "--duration", "0"},
      {"tcp_echo", "--connect", "127.0.0.1:1", "--duration", "soon"},
      {"tcp_echo", "--connect", "127.0.0.1:1", "--warmup", "-0.5"},
      {"tcp_echo", "--connect", "127.0.0.1:1", "--rate", "-1"},
      {"tcp_echo", "--connect", "127.0.0.1:1", "--rate", "inf"},
      {"tcp_echo", "--connect", "127.0.0.1:1", "--size", "0"},
      {"tcp_echo", "--connect", "127.0.0.1:1", "--target", "/x"},
      {"http_plaintext", "--connect", "127.0.0.1:1", "--size", "10"},
      {"http_plaintext", "--connect", "127.0.0.1:1", "--target", "x"},
      {"tcp_echo", "--connect", "127.0.0.1:1", "--frobnicate"},
      {"tcp_echo", "http_plaintext", "--connect", "127.0.0.1:1"},
  };
  for (const std::vector<std::string>& args : refused) {
    std::string line;
    for (const std::string& arg : args) line += arg + " ";
    const LoadParse parsed = parse_load_args(args);
    EXPECT_FALSE(parsed.ok()) << line;
    EXPECT_TRUE(parsed.error.starts_with("corio-bench: load: ")) << line << "-> " << parsed.error;
    EXPECT_EQ(parsed.error.find('\n'), std::string::npos) << parsed.error;
  }
}

TEST(LoadCommand, HelpIsNotAnError) {
  EXPECT_TRUE(parse_load_args({"--help"}).command.help);
  EXPECT_TRUE(parse_load_args({"tcp_echo", "-h"}).command.help);
}

}  // namespace
}  // namespace bench
