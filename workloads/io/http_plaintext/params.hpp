#pragma once
// io/http_plaintext: TechEmpower's plaintext test on loopback. One keep-alive HTTP/1.1
// server per model, each in its own process (`corio-bench serve http_plaintext --model M`),
// answering GET /plaintext with 200 text/plain "Hello, World!" (Content-Length, Server and
// Date headers; pipelined requests answered in order). Each is loaded by the suite's own
// generator (harness::run_load, http_get: C connections, closed loop) and, when wrk is
// installed, by wrk as well (model wrk_<M>: `wrk -t1 -cC`). nginx with one worker serving the
// same reply is the outside reference when it is installed (models nginx and wrk_nginx).
//
//   Params     connections, warm-up and measured duration (the generator's; wrk's duration)
//   Result     the load's figures and the server's resource usage
//   Workload   points, label for harness::register_model; check and counters from
//              common::ServerLoadChecks (the load's failure() and figures)
//
// Counters: requests_per_second, latency_p50_us ... latency_max_us, errors (from the load);
// server_rss_bytes, ctx_voluntary, ctx_involuntary (of the server process, its reaped
// workers included, replacing the harness's own figures for the benchmark process).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/net/server_load_result.hpp"
#include "harness/workload.hpp"
#include "workloads/common/server_models.hpp"

namespace workloads::io::http_plaintext {

struct Params {
  int connections = 0;
  std::chrono::milliseconds warmup{0};    // generator: connections busy, not recorded
  std::chrono::milliseconds duration{0};  // generator: recorded
  std::chrono::seconds wrk_duration{0};   // wrk counts from the first connect (no warm-up)
};

// The load's figures and the server's usage (harness/net/server_load_result.hpp, shared by
// the server workloads); completed: requests answered 200 with the right body length, by the
// suite's generator or by wrk (then first_error holds wrk's error counts).
using Result = harness::ServerLoadResult;

struct Workload : common::ServerLoadChecks<Params> {
  using Params = http_plaintext::Params;
  using Result = http_plaintext::Result;

  static constexpr std::string_view name = "io/http_plaintext";

  // 64 connections: wrk's usual -c64 and enough ready sockets per epoll_wait to show what a
  // one-thread loop does with them; 256 is where a thread or a process per connection starts
  // to cost scheduling and memory. wrk takes whole seconds. Full: 1 s (wrk 1 s) per
  // repetition, three repetitions (corio-bench's full profile) for a median.
  static std::vector<Params> points(harness::Profile profile) {
    using std::chrono::milliseconds;
    using std::chrono::seconds;
    if (profile == harness::Profile::quick) {
      return {{.connections = 64,
               .warmup = milliseconds(100),
               .duration = milliseconds(500),
               .wrk_duration = seconds(1)}};
    }
    std::vector<Params> points;
    for (const int connections : {64, 256}) {
      points.push_back({.connections = connections,
                        .warmup = milliseconds(300),
                        .duration = milliseconds(1000),
                        .wrk_duration = seconds(1)});
    }
    return points;
  }

  static std::string label(const Params& params) {
    return "conns:" + std::to_string(params.connections);
  }

  // check, iterations, items, counters: ServerLoadChecks (workloads/common/server_models.hpp).
};

}  // namespace workloads::io::http_plaintext
