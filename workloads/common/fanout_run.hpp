#pragma once
// What both client workloads do around a model's client (io/http_fanout,
// limit/concurrency_limit): find the server, build the request, check the descriptor limit,
// call the client, and turn its answers into the figures the workloads report.
//
//   FanoutSpec    one run: which server, which target, R, L, what a right answer is
//   FanoutRun     the client's result plus the span of its requests, its memory, and
//                 whether the call had to start the server
//   ClientFn      a model's client (fanout_client.hpp)
//   run_fanout    the above, in order; never throws for a client-side failure (those are
//                 in FanoutRun::client), throws std::runtime_error when the server cannot
//                 be started or has died

#include <chrono>
#include <cstdint>
#include <string>

#include "workloads/common/fanout_client.hpp"
#include "workloads/common/fanout_shared_server.hpp"

namespace workloads::common::fanout {

struct FanoutSpec {
  std::string workload;  // the server registered as (workload, "corio")
  ServerParams server_params;
  std::string target;
  std::int64_t requests = 0;
  std::int64_t limit = 0;  // 1 <= limit <= requests
  std::string expected_body;
  bool rejections_expected = false;
  // Measure the client's memory: malloc_trim and a peak-RSS reset before the client starts
  // (outside FanoutRun::requesting, though inside the harness's timed call).
  bool measure_memory = false;
};

struct FanoutRun {
  ClientResult client;
  // From the first request written to the last answer received (ClientResult's
  // first_request and last_response): what requests_per_second divides by. Neither the
  // set-up before the first request (threads created, workers forked, the first connection)
  // nor the teardown after the last answer is in it; connections opened while earlier
  // requests are in flight are. 0 when nothing was answered.
  std::chrono::nanoseconds requesting{0};
  // Whether this call had to start the server (shared_server_port): then its start was inside
  // the harness's timed call, which the workload's untimed setup() is there to prevent.
  bool started_server = false;
  // With measure_memory: the client process's peak RSS during the run, plus the private
  // memory of its worker processes (processes model).
  std::int64_t client_rss_bytes = 0;
};

using ClientFn = ClientResult (*)(const ClientJob& job);

FanoutRun run_fanout(ClientFn client, const FanoutSpec& spec);

}  // namespace workloads::common::fanout
