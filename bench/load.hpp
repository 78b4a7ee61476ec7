#pragma once
// `corio-bench load WORKLOAD --connect HOST:PORT [...]`: the suite's load generator
// (harness/net/load_generator.hpp) against a server started elsewhere, typically
// `corio-bench serve` on another host, so that generator and server do not share CPUs.
//
//   bench::LoadCommand       what the load command line says
//   bench::LoadParse         LoadCommand, or the one line to print before exiting 2
//   bench::parse_load_args   the arguments after `load` -> LoadParse (no side effects)
//   bench::load_command      parse, try one connection, run, print; returns the exit status
//   bench::load_usage        `load --help`
//   bench::load_synopsis     its first lines, which `corio-bench --help` shows too
//
// The options are a bench::OptionTable (bench/options.hpp), which also writes their help.
//
// Workloads: tcp_echo (echo protocol, --size bytes per message) and http_plaintext (keep-alive
// GET of --target, /plaintext by default); "io/" may prefix either. Output on stdout: a short
// human summary, then one JSON line with the same figures:
//   {"workload":"io/http_plaintext","connect":"10.77.0.1:8080","connections":64,
//    "rate_per_second":0,"warmup_s":1,"duration_s":10,"elapsed_s":10.0,"requests":N,
//    "errors":E,"first_error":"","requests_per_second":R,"latency_ns":{"p50":..,"p90":..,
//    "p99":..,"p99_9":..,"max":..,"mean":..}}
// Exit statuses (bench::ExitCode): 2 bad input, refused before any load (unknown workload, a
// malformed or impossible number, an unparsable HOST:PORT, a host that cannot be resolved or a
// first connection that fails); 3 the load ran but no request succeeded, or the generator
// failed; 0 otherwise (errors are figures of the run, reported, not a failure of the tool).

#include <string>
#include <string_view>
#include <vector>

#include "harness/net/load_generator.hpp"

namespace bench {

struct LoadCommand {
  std::string workload;  // "io/tcp_echo" or "io/http_plaintext"
  harness::LoadOptions options;
  bool help = false;
};

struct LoadParse {
  LoadCommand command;
  std::string error;  // "corio-bench: ..." without a newline; empty when valid
  [[nodiscard]] bool ok() const { return error.empty(); }
};

[[nodiscard]] LoadParse parse_load_args(const std::vector<std::string>& args);

int load_command(const std::vector<std::string>& args);

[[nodiscard]] std::string load_usage();

// "Usage: corio-bench load WORKLOAD --connect HOST:PORT ...\n"; `lead` replaces "Usage: ".
[[nodiscard]] std::string load_synopsis(std::string_view lead = "Usage: ");

}  // namespace bench
