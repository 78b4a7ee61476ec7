#pragma once
// io/http_fanout: a client makes R requests to a slow local API (GET /delay?ms=D, answered
// after D ms by a server with no capacity limit, in its own process) with at most L in
// flight. The seed's "fetch with a limit": the wall time is about ceil(R / L) * D for any
// model that keeps L requests in flight, and what differs is what each model pays to get
// there: threads and processes created, connections opened, wake-ups.
//
//   Params            requests R, limit L (0 = unlimited: L = R), delay D
//   Workload          points, label, check, items, counters, setup for harness::register_model
//   SequentialWorkload  the same at L = 1 only (sequential has no other limit)
//
// Counters: requests_per_second (answers per second from the first request written to the
// last answer received: the throughput figure), items_per_second (R per call over the
// harness's real time, which also holds every model's set-up and teardown: creating and
// joining threads, forking and reaping workers), latency_p50_us and latency_p99_us (one
// request, written to answered). queue_full_stalls does not apply: the clients have no queue
// that fills; the limit is the only thing a request waits for on the client's side.
//
// The /delay server runs in its own process, started by setup() (untimed, before a run's
// first call) and kept for every later run in the same process.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/workload.hpp"
#include "workloads/common/fanout_checks.hpp"
#include "workloads/common/fanout_run.hpp"

namespace workloads::io::http_fanout {

using common::fanout::check_limits;
using common::fanout::ClientResult;
using common::fanout::failures_of;
using common::fanout::FanoutRun;
using common::fanout::FanoutSpec;
using common::fanout::limit_label;
using common::fanout::microseconds;
using common::fanout::shared_server_port;

struct Params {
  std::int64_t requests = 0;
  std::int64_t limit = 0;  // 0: unlimited, one connection per request (L = R)
  std::chrono::milliseconds delay{0};

  [[nodiscard]] std::int64_t effective_limit() const { return limit == 0 ? requests : limit; }
};

// The server is registered under this workload's name (register.cpp), with no parameters.
inline constexpr std::string_view kServerWorkload = "io/http_fanout";

inline FanoutSpec fanout_spec(const Params& params) {
  FanoutSpec spec;
  spec.workload = std::string(kServerWorkload);
  spec.target = "/delay?ms=" + std::to_string(params.delay.count());
  spec.requests = params.requests;
  spec.limit = params.effective_limit();
  spec.expected_body = "OK";  // workloads::common::http_routes' /delay answer
  return spec;
}

struct Workload {
  using Params = http_fanout::Params;
  using Result = FanoutRun;

  static constexpr std::string_view name = "io/http_fanout";

  // R grows with L (R = max(128, 2L)) so that every limit is used for at least two rounds,
  // while L = 1 stays at 128 * 10 ms = 1.3 s; unlimited is L = R = 2048, one connection per
  // request. quick: two points of about 0.15 s.
  static std::vector<Params> points(harness::Profile profile) {
    using std::chrono::milliseconds;
    constexpr milliseconds kDelay(10);
    if (profile == harness::Profile::quick) {
      return {{.requests = 200, .limit = 16, .delay = kDelay},
              {.requests = 200, .limit = 0, .delay = kDelay}};
    }
    std::vector<Params> points;
    for (std::int64_t limit = 1; limit <= 1024; limit *= 2) {
      points.push_back(
          {.requests = std::max<std::int64_t>(128, 2 * limit), .limit = limit, .delay = kDelay});
    }
    points.push_back({.requests = 2048, .limit = 0, .delay = kDelay});
    return points;
  }

  static std::string label(const Params& params) {
    return "requests:" + std::to_string(params.requests) + "/limit:" + limit_label(params.limit) +
           "/delay_ms:" + std::to_string(params.delay.count());
  }

  static std::string check(const Params& params, const Result& result) {
    const ClientResult& client = result.client;
    if (std::string failures = failures_of(client, params.requests); !failures.empty()) {
      return failures;
    }
    if (client.ok != params.requests || client.rejected != 0) {
      return std::to_string(client.ok) + " of " + std::to_string(params.requests) +
             " requests were answered 200 'OK' (" + std::to_string(client.rejected) + " rejected)";
    }
    if (result.started_server) {
      return "the /delay server was started inside the timed call; setup() starts it untimed";
    }
    return check_limits(client, params.effective_limit(), params.effective_limit(), params.delay,
                        result.requesting);
  }

  // Untimed, before each run's first call (harness/workload.hpp): starts the /delay server,
  // or finds it running from an earlier run in this process. A failure is left to the first
  // call, which tries again and fails the run with the reason.
  static void setup() noexcept {
    try {
      shared_server_port(std::string(kServerWorkload), "corio", {});
    } catch (...) {  // NOLINT(bugprone-empty-catch): the first call retries and reports it
    }
  }

  // One untimed call before each run's timed ones (harness/workload.hpp). The server is a
  // fresh process in each repetition, and its first burst of L new connections is slow: at
  // L = 512 corio's first call waited 63-74 ms for the answers on its new connections, every
  // later call 10.1 ms (per-request timestamps in the client, 2026-12-05). A call lasts about
  // as long as Google Benchmark's minimum time, so whether the reported figure was that first
  // call alone, or a batch after it, depended on a few milliseconds: corio's L = 512 read
  // 9-11 k requests/s in 10 runs where the first call was reported, 33-36 k in 4 where a batch
  // of 6 followed it (`corio-bench --profile full --repetitions 1 --filter
  // '^io/http_fanout/corio/requests:1024/limit:512/'`, and with asio and libuv in the filter).
  static constexpr bool warm_up = true;

  static double items(const Params& params) { return static_cast<double>(params.requests); }

  static void counters(const Params& /*params*/, const Result& result,
                       harness::Counters& counters) {
    const double seconds = std::chrono::duration<double>(result.requesting).count();
    counters.set("requests_per_second",
                 seconds > 0 ? static_cast<double>(result.client.ok) / seconds : 0.0);
    counters.set("latency_p50_us", microseconds(result.client.latency.percentile_ns(50)));
    counters.set("latency_p99_us", microseconds(result.client.latency.percentile_ns(99)));
  }
};

// sequential sends one request at a time: L = 1 is its only point. R is kept small in quick
// (20 * 10 ms = 0.2 s).
struct SequentialWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    constexpr std::chrono::milliseconds kDelay(10);
    if (profile == harness::Profile::quick) return {{.requests = 20, .limit = 1, .delay = kDelay}};
    return {{.requests = 128, .limit = 1, .delay = kDelay}};
  }
};

}  // namespace workloads::io::http_fanout
