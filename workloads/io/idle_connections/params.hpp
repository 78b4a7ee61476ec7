#pragma once
// io/idle_connections: what an idle keep-alive connection costs an HTTP server. The server is
// one of io/http_plaintext's, in its own process (`corio-bench serve io/http_plaintext --model
// M`); the client opens N connections, sends one GET /plaintext on each and reads its reply,
// then leaves them open and idle. The server's VmRSS is read before and after: the difference
// over N is what one idle connection holds (issue 14: nginx with one worker holds 526 bytes;
// corio's server held 34 KB before its buffers came from a free list). Then K new clients each
// connect, request and read one reply beside the N idle ones: the idle ones must not slow
// them down.
//
//   Params     connections (N), new_clients (K)
//   Result     the server's VmRSS before and after, the answered counts, the new clients'
//              latency percentiles; server_error when the server died
//   Workload   points, label, check, counters for harness::register_model
//
// Counters: bytes_per_connection = (VmRSS after - VmRSS before) / N, the server process's own
// (/proc/PID/status; the servers measured are single-process); server_rss_before_bytes,
// server_rss_idle_bytes; new_client_p50_us, new_client_p99_us (connect, request and whole
// reply of one new connection, one at a time).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/workload.hpp"

namespace workloads::io::idle_connections {

struct Params {
  int connections = 0;  // idle keep-alive connections held open
  int new_clients = 0;  // then answered one at a time beside them
};

struct Result {
  int idle_answered = 0;  // idle connections whose one request was answered 200
  int new_clients_answered = 0;
  std::int64_t server_rss_before_bytes = 0;  // after one warm-up request
  std::int64_t server_rss_idle_bytes = 0;    // with every idle connection open and answered
  double new_client_p50_us = 0;
  double new_client_p99_us = 0;
  std::string first_error;   // the client's first failure ("" when none)
  std::string server_error;  // the server died, or could not be read
};

struct Workload {
  using Params = idle_connections::Params;
  using Result = idle_connections::Result;

  static constexpr std::string_view name = "io/idle_connections";

  // 10,000: the figure, and the C10K problem's; quick takes 2,000 (a 4 KiB page over
  // 2,000 connections is 2 bytes: still well below the figures compared). 100 new clients
  // give a p99.
  static std::vector<Params> points(harness::Profile profile) {
    if (profile == harness::Profile::quick) return {{.connections = 2000, .new_clients = 100}};
    return {{.connections = 10000, .new_clients = 100}};
  }

  static std::string label(const Params& params) {
    return "conns:" + std::to_string(params.connections);
  }

  static std::string check(const Params& params, const Result& result) {
    if (!result.server_error.empty()) return result.server_error;
    if (!result.first_error.empty()) return result.first_error;
    if (result.idle_answered != params.connections) {
      return std::to_string(result.idle_answered) + " of " + std::to_string(params.connections) +
             " idle connections answered";
    }
    if (result.new_clients_answered != params.new_clients) {
      return std::to_string(result.new_clients_answered) + " of " +
             std::to_string(params.new_clients) + " new clients answered";
    }
    if (result.server_rss_before_bytes <= 0 || result.server_rss_idle_bytes <= 0) {
      return "the server's VmRSS could not be read";
    }
    return "";
  }

  // One call is one measurement (its own server); repetitions give the spread.
  static int iterations(const Params& /*params*/, harness::Profile /*profile*/) { return 1; }
  // No rate: the call's time is the server's start, N connections and K clients.
  static double items(const Params& /*params*/) { return 0; }

  static void counters(const Params& params, const Result& result, harness::Counters& counters) {
    counters.set("bytes_per_connection", static_cast<double>(result.server_rss_idle_bytes -
                                                             result.server_rss_before_bytes) /
                                             params.connections);
    counters.set("server_rss_before_bytes", static_cast<double>(result.server_rss_before_bytes));
    counters.set("server_rss_idle_bytes", static_cast<double>(result.server_rss_idle_bytes));
    counters.set("new_client_p50_us", result.new_client_p50_us);
    counters.set("new_client_p99_us", result.new_client_p99_us);
  }
};

}  // namespace workloads::io::idle_connections
