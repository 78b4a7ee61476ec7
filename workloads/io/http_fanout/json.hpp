#pragma once
// io/http_fanout's Params and Result as JSON, for the models in other languages
// (harness/external_workload.hpp), and PythonWorkload, the workload those models run.
//
//   to_json(Params)          the point, plus where the /delay server listens
//   PythonResult, from_json  the client's answers, made into the FanoutRun every model returns
//   PythonWorkload           Workload with PythonResult: same points, check and counters
//
// Params as sent: {"requests": R, "limit": L (R when unlimited), "delay_ms": D, "port": P,
// "target": "/delay?ms=D", "expected_body": "OK"}. The port is the one the C++ clients get
// (run_fanout calls the same shared_server_port): the server setup() started untimed before
// the child was started and asked.
//
// Result as received: {"ok", "rejected", "failed", "first_error", "connections",
// "latencies_ns": [one per ok answer], "first_request_ns", "last_response_ns"
// (CLOCK_MONOTONIC nanoseconds, steady_clock's clock)}. The client never starts the server,
// so started_server stays false.

#include <chrono>
#include <cstdint>
#include <string>

#include "workloads/common/fanout_run.hpp"
#include "workloads/common/fanout_shared_server.hpp"
#include "workloads/io/http_fanout/params.hpp"

#include <nlohmann/json.hpp>

namespace workloads::io::http_fanout {

inline void to_json(nlohmann::json& json, const Params& params) {
  const FanoutSpec spec = fanout_spec(params);
  json = {{"requests", spec.requests},
          {"limit", spec.limit},
          {"delay_ms", params.delay.count()},
          {"port", shared_server_port(spec.workload, "corio", spec.server_params)},
          {"target", spec.target},
          {"expected_body", spec.expected_body}};
}

// A FanoutRun of its own type, so that its from_json lives here (found by argument-dependent
// lookup) and not in workloads/common's namespace, which limit/concurrency_limit shares.
struct PythonResult : FanoutRun {};

inline void from_json(const nlohmann::json& json, PythonResult& run) {
  ClientResult& client = run.client;
  json.at("ok").get_to(client.ok);
  json.at("rejected").get_to(client.rejected);
  json.at("failed").get_to(client.failed);
  json.at("first_error").get_to(client.first_error);
  json.at("connections").get_to(client.connections);
  for (const nlohmann::json& latency : json.at("latencies_ns")) {
    client.latency.record(latency.get<std::int64_t>());
  }
  const auto first = std::chrono::nanoseconds(json.at("first_request_ns").get<std::int64_t>());
  const auto last = std::chrono::nanoseconds(json.at("last_response_ns").get<std::int64_t>());
  if (client.ok + client.rejected > 0) {
    client.first_request = common::fanout::Clock::time_point(first);
    client.last_response = common::fanout::Clock::time_point(last);
  }
  if (last > first) run.requesting = last - first;
}

// The Python clients run the C++ clients' points: a request costs them tens to a few hundred
// microseconds of bytecode, well below the server's D = 10 ms, and R = 2,048 fits one call.
struct PythonWorkload : Workload {
  using Result = PythonResult;
};

}  // namespace workloads::io::http_fanout
