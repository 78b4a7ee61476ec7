#pragma once
// What both client workloads do around a model's client (io/http_fanout,
// limit/concurrency_limit): find the server, build the request, check the descriptor limit,
// call the client, and turn its answers into the figures the workloads report.
//
//   FanoutSpec    one run: which server, which target, R, L, what a right answer is
//   FanoutRun     the client's result plus the run's elapsed time and client memory
//   ClientFn      a model's client (client.hpp)
//   run_fanout    the above, in order; never throws for a client-side failure (those are
//                 in FanoutRun::client), throws std::runtime_error when the server cannot
//                 be started or has died

#include <chrono>
#include <cstdint>
#include <string>

#include "workloads/io/http_fanout/client.hpp"
#include "workloads/io/http_fanout/shared_server.hpp"

namespace workloads::io::http_fanout {

struct FanoutSpec {
  std::string workload;  // the server registered as (workload, "corio")
  ServerParams server_params;
  std::string target;
  std::int64_t requests = 0;
  std::int64_t limit = 0;  // 1 <= limit <= requests
  std::string expected_body;
  bool rejections_expected = false;
  // Measure the client's memory: malloc_trim and a peak-RSS reset before the client starts
  // (untimed by the run's elapsed time, though inside the harness's timed call).
  bool measure_memory = false;
};

struct FanoutRun {
  ClientResult client;
  // From the client's start to its last answer: setting up (threads, processes,
  // connections) counts, tearing down does not. 0 when nothing was answered.
  std::chrono::nanoseconds elapsed{0};
  // With measure_memory: the client process's peak RSS during the run, plus the private
  // memory of its worker processes (processes model).
  std::int64_t client_rss_bytes = 0;
};

using ClientFn = ClientResult (*)(const ClientJob& job);

// Descriptors a run may need beyond its L sockets: stdio, the loop's epoll and eventfd, the
// harness's pipes, libraries' own.
inline constexpr std::int64_t kSpareDescriptors = 64;

FanoutRun run_fanout(ClientFn client, const FanoutSpec& spec);

}  // namespace workloads::io::http_fanout
