#pragma once
// limit/concurrency_limit: R requests against a server of capacity C (C requests in service
// at once, each D ms; the rest queue, or with a queue bound Q are answered 503 at once) with
// the client's limit L swept from 1 to 1,024 and unlimited. Little's law says throughput =
// requests in flight / time each spends, so it grows as L / D until L reaches C and stays at
// C / D beyond: past the knee a larger L only lengthens the server's queue, and with it the
// latency (p99 ~ L / C * D) and the client's memory (one connection per request in flight).
//
//   Params              limit L (0 = unlimited: L = R), capacity C, delay D, requests R,
//                       queue bound Q (0 = unbounded)
//   Workload            points, label, check, items, counters, iterations
//   SequentialWorkload  the same at L = 1 only
//   (json.hpp: PythonWorkload, the same points for the Python clients py_*.py, whose Result
//   comes from JSON)
//
// The client is each model's fan-out client (workloads/common/fanout_client.hpp), the server
// one corio implementation in its own process (servers.hpp), started once per (C, D, Q) by
// setup(params), untimed before a run's first call; check() fails a call that had to start it.
//
// Counters: requests_per_second (200 answers per second, from the first request written to
// the last answer received), latency_p50_us and latency_p99_us (of the 200 answers: written ->
// answered, server queueing included), errors (503 answers in the bounded mode; any other failure
// fails the run), client_rss_bytes (how far the client process's peak RSS during the run rose
// above its RSS at the start, plus its worker processes' private memory for the processes
// model), littles_law_rps = min(L, C) / D.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/workload.hpp"
#include "workloads/common/fanout_checks.hpp"
#include "workloads/common/fanout_run.hpp"

namespace workloads::limit::concurrency_limit {

namespace fanout = workloads::common::fanout;

struct Params {
  std::int64_t limit = 0;  // 0: unlimited, one connection per request (L = R)
  std::int64_t capacity = 0;
  std::chrono::milliseconds delay{0};
  std::int64_t requests = 0;
  std::int64_t queue_bound = 0;  // 0: the server's queue is unbounded

  [[nodiscard]] std::int64_t effective_limit() const { return limit == 0 ? requests : limit; }
  // Requests the server can have in service at once for this client: min(L, C).
  [[nodiscard]] std::int64_t serving() const { return std::min(effective_limit(), capacity); }
};

inline fanout::FanoutSpec fanout_spec(const Params& params) {
  fanout::FanoutSpec spec;
  spec.workload = "limit/concurrency_limit";
  spec.server_params = {{"capacity", std::to_string(params.capacity)},
                        {"delay_ms", std::to_string(params.delay.count())},
                        {"queue_bound", std::to_string(params.queue_bound)}};
  spec.target = "/work";
  spec.requests = params.requests;
  spec.limit = params.effective_limit();
  spec.expected_body = "OK";
  spec.rejections_expected = params.queue_bound > 0;
  spec.measure_memory = true;
  return spec;
}

struct Workload {
  using Params = concurrency_limit::Params;
  using Result = fanout::FanoutRun;

  static constexpr std::string_view name = "limit/concurrency_limit";

  // quick: C = 8, D = 10 ms, L = 1, 8, 64, unlimited and the 503 mode (Q = 16) at unlimited;
  // R = 160 (16 at L = 1), 0.2 s a point. full: C = 16, D = 10 ms, L = 1, 2, 4 ... 1,024,
  // unlimited, and the 503 mode (Q = 64) at unlimited. R = 128 below the knee (L = 1 takes
  // 1.3 s); from L = C on R = max(1024, 2L) (2,048 unlimited), so that the server is busy
  // for at least 0.64 s and the ramp-up (opening L connections) is a few percent of the run,
  // and every L is used for at least two rounds.
  static std::vector<Params> points(harness::Profile profile) {
    if (profile == harness::Profile::quick) {
      constexpr std::int64_t kCapacity = 8;
      return {point(1, kCapacity, 16), point(8, kCapacity, 160), point(64, kCapacity, 160),
              point(0, kCapacity, 160), point(0, kCapacity, 160, 16)};
    }
    constexpr std::int64_t kCapacity = 16;
    std::vector<Params> points;
    for (std::int64_t limit = 1; limit <= 1024; limit *= 2) {
      const std::int64_t requests =
          limit < kCapacity ? 128 : std::max<std::int64_t>(1024, 2 * limit);
      points.push_back(point(limit, kCapacity, requests));
    }
    points.push_back(point(0, kCapacity, 2048));
    points.push_back(point(0, kCapacity, 2048, 64));
    return points;
  }

  // A point with D = 10 ms: long enough that a request's own costs (a few tens of
  // microseconds) stay below 1% of it, short enough for L = 1 to finish in about a second.
  static Params point(std::int64_t limit, std::int64_t capacity, std::int64_t requests,
                      std::int64_t queue_bound = 0) {
    return Params{.limit = limit,
                  .capacity = capacity,
                  .delay = std::chrono::milliseconds(10),
                  .requests = requests,
                  .queue_bound = queue_bound};
  }

  static std::string label(const Params& params) {
    std::string label = "limit:" + fanout::limit_label(params.limit) +
                        "/capacity:" + std::to_string(params.capacity) +
                        "/delay_ms:" + std::to_string(params.delay.count()) +
                        "/requests:" + std::to_string(params.requests);
    if (params.queue_bound > 0) label += "/queue_bound:" + std::to_string(params.queue_bound);
    return label;
  }

  static std::string check(const Params& params, const Result& result) {
    const fanout::ClientResult& client = result.client;
    const std::int64_t requests = params.requests;
    if (std::string failures = fanout::failures_of(client, requests); !failures.empty()) {
      return failures;
    }
    if (client.ok + client.rejected != requests) {
      return std::to_string(client.ok) + " answered and " + std::to_string(client.rejected) +
             " rejected of " + std::to_string(requests) + " requests";
    }
    if (params.queue_bound == 0 && client.rejected != 0) {
      return std::to_string(client.rejected) + " requests were rejected by an unbounded queue";
    }
    // The server rejects only with C requests in service and Q waiting: never while the
    // client has at most C + Q in flight, and never before C + Q were accepted.
    const std::int64_t admitted = params.capacity + params.queue_bound;
    if (client.rejected > 0 && params.effective_limit() <= admitted) {
      return std::to_string(client.rejected) + " requests were rejected with at most " +
             std::to_string(params.effective_limit()) +
             " in flight, within C + Q = " + std::to_string(admitted);
    }
    if (result.started_server) {
      return "the server was started inside the timed call; setup() starts it untimed";
    }
    if (client.ok < std::min(requests, admitted)) {
      return "only " + std::to_string(client.ok) + " requests were served; the server admits " +
             std::to_string(admitted) + " (C + Q) before it rejects any";
    }
    return fanout::check_limits(client, params.effective_limit(), params.serving(), params.delay,
                                result.requesting);
  }

  // A fixed number of calls per run: about 0.4 s of requests in full (one call for the long
  // points), one call in quick. The figures come from the client's own clock, so Google
  // Benchmark's time estimate (whose first call would also start the server) is not needed.
  static int iterations(const Params& params, harness::Profile profile) {
    if (profile == harness::Profile::quick) return 1;
    const double call_seconds = static_cast<double>(params.requests) *
                                std::chrono::duration<double>(params.delay).count() /
                                static_cast<double>(params.serving());
    return static_cast<int>(std::clamp(std::round(0.4 / call_seconds), 1.0, 20.0));
  }

  // Untimed, before each run's first call (harness/workload.hpp): starts this point's server
  // (its C, D and Q), or finds it running from an earlier run in this process. A failure is
  // left to the first call, which tries again and fails the run with the reason.
  static void setup(const Params& params) noexcept {
    try {
      fanout::shared_server_port(std::string(name), "corio", fanout_spec(params).server_params);
    } catch (...) {  // NOLINT(bugprone-empty-catch): the first call retries and reports it
    }
  }

  static double items(const Params& params) { return static_cast<double>(params.requests); }

  static void counters(const Params& params, const Result& result, harness::Counters& counters) {
    const fanout::ClientResult& client = result.client;
    const double seconds = std::chrono::duration<double>(result.requesting).count();
    counters.set("requests_per_second",
                 seconds > 0 ? static_cast<double>(client.ok) / seconds : 0.0);
    counters.set("latency_p50_us", fanout::microseconds(client.latency.percentile_ns(50)));
    counters.set("latency_p99_us", fanout::microseconds(client.latency.percentile_ns(99)));
    counters.set("errors", static_cast<double>(client.failed + client.rejected));
    counters.set("client_rss_bytes", static_cast<double>(result.client_rss_bytes));
    counters.set("littles_law_rps", static_cast<double>(params.serving()) /
                                        std::chrono::duration<double>(params.delay).count());
  }
};

// sequential sends one request at a time: L = 1 is its only point.
struct SequentialWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    std::vector<Params> points;
    for (const Params& params : Workload::points(profile)) {
      if (params.limit == 1) points.push_back(params);
    }
    return points;
  }
};

}  // namespace workloads::limit::concurrency_limit
