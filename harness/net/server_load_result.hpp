#pragma once
// harness::ServerLoadResult: what one run of a load against a server child measured, as the
// network workloads (io/tcp_echo, io/http_plaintext) report it.
//
//   record_load(report)        the generator's figures: requests, errors (and their kinds),
//                              rate, latency
//   record_server_stop(stop)   the server's peak memory and context switches from its stop(),
//                              or server_error when it had died ("server died: ...")
//   failure()                  "" for a good run, else why not: the server died, a request
//                              failed (how many of each kind, and the first's text), or none
//                              was answered in the measured phase
//   set_counters(counters)     requests_per_second, latency_p50/p90/p99/p999/max_us, errors,
//                              server_rss_bytes, and ctx_voluntary/ctx_involuntary replaced by
//                              the server's (the generator's own are not the figure of interest)
//
// The counters from the server (ServerProcess::stop(), server_process.hpp):
//   server_rss_bytes   the sum of VmHWM (peak resident set) over the server process and its
//                      descendants alive when it was stopped, read from /proc just before
//                      SIGTERM. For a single-process server, its own peak. For a server with
//                      worker processes (prefork `processes` models, nginx's master + worker)
//                      an upper bound: pages shared between its processes (program, libraries,
//                      what a parent touched before fork) count once per process, and peaks
//                      that need not coincide are added. Not the benchmark process's memory
//                      (wait4's ru_maxrss would be: it keeps the parent's peak copied at fork).
//   ctx_voluntary, ctx_involuntary
//                      wait4's for the reaped server: its own switches plus those of the
//                      workers it reaped (none are inherited from the benchmark process).
//
// Each workload's loader decides what "completed" and "errors" mean for it (the echo's bytes,
// status 200 with the expected body); its check() returns failure().

#include <cstdint>
#include <stdexcept>
#include <string>

#include "harness/net/load_generator.hpp"
#include "harness/net/server_process.hpp"
#include "harness/workload.hpp"

namespace harness {

struct ServerLoadResult {
  std::int64_t completed = 0;  // requests answered correctly
  std::int64_t errors = 0;
  std::string error_kinds;  // e.g. "3 wrong answer, 1 timeout" (the generator's; "" for wrk)
  std::string first_error;  // the loader's first error text
  double requests_per_second = 0;
  double latency_p50_us = 0;
  double latency_p90_us = 0;
  double latency_p99_us = 0;
  double latency_p999_us = 0;
  double latency_max_us = 0;
  std::int64_t server_rss_bytes = 0;  // see above: VmHWM summed over the server's processes
  std::int64_t server_processes = 0;  // how many processes server_rss_bytes sums
  std::int64_t server_ctx_voluntary = 0;
  std::int64_t server_ctx_involuntary = 0;
  std::string server_error;  // the server died before it was stopped (or the loader failed)

  void record_load(const LoadReport& report) {
    completed = report.completed;
    errors = report.errors;
    error_kinds = report.errors_summary();
    first_error = report.first_error;
    requests_per_second = report.requests_per_second();
    latency_p50_us = microseconds(report.latency.percentile_ns(50));
    latency_p90_us = microseconds(report.latency.percentile_ns(90));
    latency_p99_us = microseconds(report.latency.percentile_ns(99));
    latency_p999_us = microseconds(report.latency.percentile_ns(99.9));
    latency_max_us = microseconds(report.latency.max_ns());
  }

  // `stop` is the server's stop(): returns its ServerUsage, throws std::runtime_error when
  // the server had died.
  template <class Stop>
  void record_server_stop(Stop&& stop) {
    try {
      const ServerUsage usage = stop();
      server_rss_bytes = usage.max_rss_bytes;
      server_processes = usage.processes;
      server_ctx_voluntary = usage.voluntary_switches;
      server_ctx_involuntary = usage.involuntary_switches;
    } catch (const std::runtime_error& error) {
      server_error = error.what();  // "server died: ..."
    }
  }

  [[nodiscard]] std::string failure() const {
    if (!server_error.empty()) return server_error;
    if (errors > 0) {
      return std::to_string(errors) + " requests failed (" +
             (error_kinds.empty() ? "" : error_kinds + "; ") + "first: " + first_error + ")";
    }
    if (completed == 0) return "no request was answered during the measured phase";
    return "";
  }

  void set_counters(Counters& counters) const {
    counters.set("requests_per_second", requests_per_second);
    counters.set("latency_p50_us", latency_p50_us);
    counters.set("latency_p90_us", latency_p90_us);
    counters.set("latency_p99_us", latency_p99_us);
    counters.set("latency_p999_us", latency_p999_us);
    counters.set("latency_max_us", latency_max_us);
    counters.set("errors", static_cast<double>(errors));
    counters.set("server_rss_bytes", static_cast<double>(server_rss_bytes));
    counters.set("ctx_voluntary", static_cast<double>(server_ctx_voluntary));
    counters.set("ctx_involuntary", static_cast<double>(server_ctx_involuntary));
  }

 private:
  static double microseconds(std::int64_t nanoseconds) {
    return static_cast<double>(nanoseconds) / 1e3;
  }
};

}  // namespace harness
