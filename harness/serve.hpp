#pragma once
// `corio-bench serve WORKLOAD --model MODEL --listen HOST:PORT`: a server for outside load
// generators (wrk, the suite's `load`), running until SIGINT or SIGTERM.
//
//   harness::ServeOptions        what the serve command line says
//   harness::ServeParse          ServeOptions, or the one line to print before exiting 2
//   harness::parse_serve_args    the arguments after `serve` -> ServeParse (no side effects)
//   harness::run_serve           binds, prints the "serving" line, serves; returns the exit
//                                status (0 after a signal, 2 when the address cannot be bound)
//
// Accepted today: workload http_plaintext (GET /plaintext, GET /delay?ms=N), model corio.

#include <cstdint>
#include <string>
#include <vector>

namespace harness {

struct ServeOptions {
  std::string workload;
  std::string model;
  std::string host;
  std::uint16_t port = 0;  // 0: the kernel picks one; the "serving" line says which
};

struct ServeParse {
  ServeOptions options;
  std::string error;  // "corio-bench: ..." without a newline; empty when valid
  [[nodiscard]] bool ok() const { return error.empty(); }
};

[[nodiscard]] ServeParse parse_serve_args(const std::vector<std::string>& args);

// Blocks SIGINT and SIGTERM (before any thread exists), binds, prints
// "corio-bench: serving WORKLOAD (MODEL) on HOST:PORT" to stdout, and serves until one of
// them arrives; then cancels the server (its connections close) and returns 0.
int run_serve(const ServeOptions& options);

}  // namespace harness
