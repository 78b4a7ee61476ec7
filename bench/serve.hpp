#pragma once
// `corio-bench serve WORKLOAD --model MODEL --listen HOST:PORT [--param KEY=VALUE ...]`: one
// of the servers registered in harness/net/server_registry.hpp, for the suite's own load
// generator (ServerProcess starts it) or for outside ones (wrk, `corio-bench load` on another
// host). It runs until SIGTERM or SIGINT end the process.
//
//   bench::ServeOptions      what the serve command line says
//   bench::ServeParse        ServeOptions, or the one line to print before exiting 2
//   bench::parse_serve_args  the arguments after `serve` -> ServeParse (syntax only, no
//                              side effects; the registry is consulted by run_serve)
//   bench::run_serve         checks the names against the registry, binds, runs the server;
//                              returns the exit status
//   bench::serve_command     parse_serve_args + --help + run_serve, printing what it refuses:
//                              what main() calls once workloads::register_all has filled the server
//                              table
//   bench::serve_usage       `serve --help`: the syntax and every registered server
//   bench::serve_synopsis    its first line, which `corio-bench --help` shows too
//
// The options are a bench::OptionTable (bench/options.hpp), which also writes their help.
// Exit statuses (bench::ExitCode): 2 before serving for an unknown workload, model or --param name
// (the line lists what is accepted), a malformed value (BadInput from the server function), or an
// address that cannot be bound ("port in use"); 3 when the server function throws anything
// else; 0 when it returns, and 0 on SIGTERM or SIGINT: their handler, installed before the
// server function runs (over an inherited SIG_IGN too: a script's `serve ... &` ignores
// SIGINT), ends the process with _exit(0) at once, so that the kernel closes the listening
// socket and every connection (a stop takes milliseconds, bench/tests/serve_signal_test.cpp).
// A model that must stop something itself first blocks the two signals and waits for them
// (common::supervise_workers: it reaps its workers, then returns).
//
// The socket given to the server: bound without SO_REUSEPORT first, so that a port another
// server holds is refused even if that server set SO_REUSEPORT, then SO_REUSEPORT is set
// before listen() so that multi-loop models can bind siblings; SO_REUSEADDR, backlog 4096,
// blocking, close-on-exec. SIGPIPE is ignored (a client that resets must not kill a server
// that write()s without MSG_NOSIGNAL).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bench {

struct ServeOptions {
  std::string workload;
  std::string model = "corio";
  std::string host;
  std::uint16_t port = 0;  // 0: the kernel picks one; the "serving" line says which
  std::vector<std::pair<std::string, std::string>> params;  // --param KEY=VALUE, in order
  bool help = false;
};

struct ServeParse {
  ServeOptions options;
  std::string error;  // "corio-bench: ..." without a newline; empty when valid
  [[nodiscard]] bool ok() const { return error.empty(); }
};

[[nodiscard]] ServeParse parse_serve_args(const std::vector<std::string>& args);

int run_serve(const ServeOptions& options);

int serve_command(const std::vector<std::string>& args);

[[nodiscard]] std::string serve_usage();

// "Usage: corio-bench serve WORKLOAD [--model MODEL] ...\n"; `lead` replaces "Usage: ".
[[nodiscard]] std::string serve_synopsis(std::string_view lead = "Usage: ");

}  // namespace bench
