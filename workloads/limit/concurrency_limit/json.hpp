#pragma once
// limit/concurrency_limit's Params and Result as JSON, for the models in other languages
// (harness/external_workload.hpp), and PythonWorkload, the workload those models run.
//
//   to_json(Params)          the point, plus what a client needs to reach this point's server
//   PythonResult, from_json  the client's answers, made into the FanoutRun every model returns
//   PythonWorkload           Workload with PythonResult: same points, check and counters
//   ExternalWorkload         the same, for the Go and tokio clients
//
// Params as sent: {"limit": L (R when unlimited), "requests": R, "capacity": C, "delay_ms": D,
// "queue_bound": Q, "port": P, "target": "/work", "request": "GET /work HTTP/1.1\r\n...",
// "expected_body": "OK", "rejections_expected": Q > 0}. The port is the one the C++ clients
// get (run_fanout calls the same shared_server_port): the server of this (C, D, Q), started by
// setup(params), which the harness runs untimed before the child is started and asked; the
// request head is the C++ clients' bytes (write_request_head, as fanout_run.cpp makes it).
//
// Result as received: {"ok", "rejected", "failed", "first_error", "connections",
// "latencies_ns": [one per ok answer], "first_request_ns", "last_response_ns" (CLOCK_MONOTONIC
// nanoseconds, steady_clock's clock), "client_rss_bytes"}. The client never starts the server,
// so started_server stays false; worker_private_bytes is 0 (no worker processes).

#include <array>
#include <chrono>
#include <cstdint>
#include <string>

#include <corio/net/http_parser.hpp>

#include "workloads/common/fanout_run.hpp"
#include "workloads/common/fanout_shared_server.hpp"
#include "workloads/limit/concurrency_limit/params.hpp"

#include <nlohmann/json.hpp>

namespace workloads::limit::concurrency_limit {

inline void to_json(nlohmann::json& json, const Params& params) {
  const fanout::FanoutSpec spec = fanout_spec(params);
  std::array<char, 512> head{};
  const std::size_t size = corio::net::http::write_request_head(head, "GET", spec.target,
                                                                "127.0.0.1", /*keep_alive=*/true);
  json = {{"limit", spec.limit},
          {"requests", spec.requests},
          {"capacity", params.capacity},
          {"delay_ms", params.delay.count()},
          {"queue_bound", params.queue_bound},
          {"port", fanout::shared_server_port(spec.workload, "corio", spec.server_params)},
          {"target", spec.target},
          {"request", std::string(head.data(), size)},
          {"expected_body", spec.expected_body},
          {"rejections_expected", spec.rejections_expected}};
}

// A FanoutRun of its own type, so that its from_json lives here (found by argument-dependent
// lookup) and not in workloads/common's namespace, which io/http_fanout shares.
struct PythonResult : fanout::FanoutRun {};

inline void from_json(const nlohmann::json& json, PythonResult& run) {
  fanout::ClientResult& client = run.client;
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
    client.first_request = fanout::Clock::time_point(first);
    client.last_response = fanout::Clock::time_point(last);
  }
  if (last > first) run.requesting = last - first;
  json.at("client_rss_bytes").get_to(run.client_rss_bytes);
}

// The Python clients run the C++ clients' points: their per-request overhead (tens of
// microseconds of bytecode) stays well below the server's D = 10 ms, so the knee and the
// latencies are the server's as for C++, and R = 2,048 fits one call.
struct PythonWorkload : Workload {
  using Result = PythonResult;
};

// The Go and tokio clients (go.go, tokio.rs) speak the same JSON and run the same points:
// PythonWorkload under a name that does not say Python.
using ExternalWorkload = PythonWorkload;

}  // namespace workloads::limit::concurrency_limit
