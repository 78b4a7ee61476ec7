#pragma once
// wrk as a second load generator: `wrk -t1 -cC -dDs --latency --timeout 10s -s SCRIPT URL`.
//
//   WrkReport          what one wrk run measured
//   run_wrk(...)       runs wrk (a child process: PR_SET_PDEATHSIG, reaped, killed if it
//                      overruns its duration by 30 s) and parses its report; throws
//                      std::runtime_error when wrk fails or prints no report
//   parse_wrk_report   the parser alone: nullopt when the report line is missing
//
// The figures come from a Lua done() hook (wrk's documented interface for results) that
// prints one line, "corio-bench-wrk: requests=... duration_us=... connect=... read=...
// write=... status=... timeout=... p50_us=... p90_us=... p99_us=... p999_us=... max_us=...":
// the text report rounds latencies to two decimals in changing units (us, ms, s) and has no
// 99.9th percentile. requests counts every response; status counts those that were not 2xx
// or 3xx ("Non-2xx or 3xx responses"); connect/read/write/timeout are its "Socket errors".
// Requests/sec is requests / duration, as wrk prints it.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace workloads::io::http_plaintext {

struct WrkReport {
  std::int64_t requests = 0;
  std::int64_t duration_us = 0;
  std::int64_t connect_errors = 0;
  std::int64_t read_errors = 0;
  std::int64_t write_errors = 0;
  std::int64_t status_errors = 0;
  std::int64_t timeouts = 0;
  double p50_us = 0;
  double p90_us = 0;
  double p99_us = 0;
  double p999_us = 0;
  double max_us = 0;

  [[nodiscard]] std::int64_t errors() const {
    return connect_errors + read_errors + write_errors + status_errors + timeouts;
  }
  [[nodiscard]] double requests_per_second() const {
    return duration_us > 0 ? static_cast<double>(requests) * 1e6 / static_cast<double>(duration_us)
                           : 0.0;
  }
};

WrkReport run_wrk(const std::string& wrk_path, std::uint16_t port, int connections,
                  std::chrono::seconds duration);

std::optional<WrkReport> parse_wrk_report(std::string_view output);

}  // namespace workloads::io::http_plaintext
