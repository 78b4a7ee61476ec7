#pragma once
// mixed/blocking_in_loop: an HTTP server whose requests are mostly cheap (GET /cheap, answered
// at once) with every N-th one expensive (GET /expensive: work_ms of CPU work or a blocking
// call). Done inline on the event loop, the expensive work stalls every cheap request queued
// behind it; offloaded to a thread (or a pool), the loop keeps answering.
//
//   Params           variant (inline | offload | pool), work (cpu | blocking), work_ms, load
//   Result           the load generator's report, and what went wrong with the server
//   Workload         points, label, check, counters for harness::register_model (inline, offload)
//   CorioWorkload    the same plus variant pool (a corio::ThreadPool; asio and libuv have none)
//   InlineWorkload   variant inline only (the go models: Go's scheduler, not the program,
//                    moves work to other threads; go.go says why)
//   load_server      the one model function: starts `corio-bench serve` for a model, loads it
//
// Each point is one run of one call (iterations() == 1): start the server child, warm up,
// send an open-loop load (requests due at fixed times whatever the server does, latency
// counted from the due time), stop the server. The servers are in <model>.cpp.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/net/load_generator.hpp"
#include "harness/workload.hpp"

namespace workloads::mixed::blocking_in_loop {

// The server parameters (`--param variant=... work=... work_ms=...`) and their names.
inline constexpr std::string_view kWorkloadName = "mixed/blocking_in_loop";

struct Params {
  std::string variant;  // inline | offload | pool
  std::string work;     // cpu | blocking
  int work_ms = 5;
  // The load: every `expensive_every`-th request is GET /expensive, the others GET /cheap.
  int expensive_every = 20;
  double rate_per_second = 1000;
  int connections = 32;
  std::int64_t duration_ms = 1000;
};

struct Result {
  harness::LoadReport report;
  std::int64_t server_rss_bytes = 0;
  std::int64_t server_voluntary_switches = 0;
  std::string error;  // the server failed to start or died; empty otherwise
};

// The model function for every model: the server is what differs, and it runs in a child.
Result load_server(std::string_view model, const Params& params);

struct Workload {
  using Params = blocking_in_loop::Params;
  using Result = blocking_in_loop::Result;

  static constexpr std::string_view name = kWorkloadName;

  // 1,000 requests/s, 1 in 20 expensive, 5 ms each: the expensive work takes 250 ms of every
  // second (a quarter of one core), so inline the loop is blocked a quarter of the time and
  // about a quarter of the cheap requests wait behind it, up to 5 ms. Far enough from
  // saturation that the loop keeps up in every variant (open loop: a saturated server would
  // make every latency grow with the run's length instead). 32 connections: more than are
  // ever busy at once, so the generator itself never queues requests.
  static std::vector<Params> points(harness::Profile profile) {
    return points_for({"inline", "offload"}, profile);
  }

  static std::vector<Params> points_for(const std::vector<std::string>& variants,
                                        harness::Profile profile) {
    // Full: 2 s per repetition, three repetitions (corio-bench's full profile).
    const std::int64_t duration_ms = profile == harness::Profile::quick ? 1000 : 2000;
    std::vector<Params> points;
    for (const char* work : {"cpu", "blocking"}) {
      for (const std::string& variant : variants) {
        points.push_back(Params{.variant = variant, .work = work, .duration_ms = duration_ms});
      }
    }
    return points;
  }

  static std::string label(const Params& params) {
    return "variant:" + params.variant + "/work:" + params.work +
           "/work_ms:" + std::to_string(params.work_ms);
  }

  static std::string check(const Params& params, const Result& result) {
    if (!result.error.empty()) return result.error;
    const harness::LoadReport& report = result.report;
    if (report.errors != 0) {
      return std::to_string(report.errors) + " requests failed; the first: " + report.first_error;
    }
    if (report.latency.count() == 0) return "no cheap request (GET /cheap) was answered";
    if (report.second_latency.count() == 0) {
      return "no expensive request (GET /expensive) was answered";
    }
    if (report.completed != report.latency.count() + report.second_latency.count()) {
      return std::to_string(report.completed) + " requests completed but " +
             std::to_string(report.latency.count() + report.second_latency.count()) +
             " latencies recorded";
    }
    // An expensive request cannot be answered before its work is done: a faster answer means
    // the server skipped the work (or the generator mixed the two kinds up).
    const std::int64_t work_ns = std::int64_t{params.work_ms} * 1'000'000;
    if (report.second_latency.min_ns() < work_ns) {
      return "an expensive request was answered in " +
             std::to_string(report.second_latency.min_ns() / 1000) + " us, less than its " +
             std::to_string(params.work_ms) + " ms of work";
    }
    return "";
  }

  static int iterations(const Params& /*params*/, harness::Profile /*profile*/) { return 1; }

  static double items(const Params& /*params*/) { return 0; }

  static void counters(const Params& params, const Result& result, harness::Counters& counters);
};

struct CorioWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    return points_for({"inline", "offload", "pool"}, profile);
  }
};

// The go and go_mt servers: a goroutine blocks no loop and Go has no to_thread, so the work is
// always called in the goroutine; what differs is GOMAXPROCS (go.go, README.md).
struct InlineWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    return points_for({"inline"}, profile);
  }
};

}  // namespace workloads::mixed::blocking_in_loop
