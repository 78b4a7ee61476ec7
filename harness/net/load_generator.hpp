#pragma once
// The suite's one load generator: every network workload (tcp_echo, http_plaintext,
// blocking_in_loop) is loaded by this code, whatever model serves it, from a process other
// than the server's (the benchmark process itself; `corio-bench load` for another host).
//
//   harness::LoadOptions   protocol, connections, duration, closed or open loop
//   harness::LoadReport    completed requests, errors, latency histograms, elapsed time
//   harness::run_load      connects, warms up, measures, disconnects; returns the report
//
// Closed loop (rate_per_second == 0): each of `connections` connections sends its next
// request when the previous answer has arrived. Open loop (rate_per_second > 0): requests are
// due at fixed intervals whatever the server does; a request's latency runs from the time it
// was due, not from when a free connection could send it, so queueing in the generator or the
// server is counted (no coordinated omission).
//
// Protocols:
//   echo       writes `message_bytes` bytes, reads the same bytes back and compares them
//   http_get   "GET <target> HTTP/1.1" keep-alive requests; a response must be status 200
//              (any other status counts as an error) with a Content-Length body
// With `second_target` set (http_get only), every `second_every`-th request goes there
// instead; its latencies go to LoadReport::second_latency (blocking_in_loop: the expensive
// requests), the others' to LoadReport::latency.
//
// Errors (refused, reset, a wrong echo, a non-200 status, a request outliving
// request_timeout) are counted, the connection is re-opened, and the load goes on; the first
// error's text is kept. run_load throws harness::BadInput before any work when an option is
// impossible (0 connections, a zero duration, second_every < 2 ...), and std::runtime_error
// when no connection at all can be made (the text names the address and errno).

#include <chrono>
#include <cstdint>
#include <string>

#include "harness/net/latency_histogram.hpp"

namespace harness {

enum class LoadProtocol { echo, http_get };

struct LoadOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  LoadProtocol protocol = LoadProtocol::echo;
  std::size_t message_bytes = 64;     // echo
  std::string target = "/plaintext";  // http_get
  std::string second_target;          // http_get; empty: none
  int second_every = 0;               // with second_target: every N-th request goes there
  int connections = 64;
  double rate_per_second = 0;  // 0: closed loop; > 0: open loop at this total rate
  std::chrono::nanoseconds warmup = std::chrono::milliseconds(200);  // not recorded
  std::chrono::nanoseconds duration = std::chrono::seconds(1);       // recorded
  // Stop after this many recorded requests (0: no limit; the duration still applies).
  std::int64_t max_requests = 0;
  std::chrono::nanoseconds request_timeout = std::chrono::seconds(10);
};

struct LoadReport {
  std::int64_t completed = 0;  // recorded requests answered correctly
  std::int64_t errors = 0;
  std::string first_error;                 // empty when errors == 0
  std::chrono::nanoseconds elapsed{0};     // the recorded phase's wall time
  LatencyHistogram latency;                // target's requests
  LatencyHistogram second_latency;         // second_target's requests
  [[nodiscard]] double requests_per_second() const {
    const double seconds = std::chrono::duration<double>(elapsed).count();
    return seconds > 0 ? static_cast<double>(completed) / seconds : 0.0;
  }
};

LoadReport run_load(const LoadOptions& options);

}  // namespace harness
