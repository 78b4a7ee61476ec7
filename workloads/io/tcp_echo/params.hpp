#pragma once
// io/tcp_echo: request/response over loopback. One echo server per model, each in its own
// process (`corio-bench serve tcp_echo --model M`), all loaded by the suite's one load
// generator (harness::run_load, echo protocol): C connections, each sending S bytes and
// waiting for the same S bytes back before sending again (closed loop).
//
//   Params     connections, message size, warm-up and measured duration
//   Result     the load report's figures and the server's resource usage
//   Workload   points, label for harness::register_model; check and counters from
//              common::ServerLoadChecks (the load's failure() and figures)
//   kEchoBufferBytes  every server's per-connection receive buffer
//
// A server echoes a stream, not messages: it writes back exactly the bytes it read, as they
// arrive, so any model handles any message size, and the generator compares every byte.
//
// Counters: requests_per_second, latency_p50_us ... latency_max_us, errors (from the load
// report); server_rss_bytes, ctx_voluntary, ctx_involuntary (of the server process, its
// reaped workers included, replacing the harness's own figures for the benchmark process).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/net/server_load_result.hpp"
#include "harness/workload.hpp"
#include "workloads/common/server_models.hpp"

namespace workloads::io::tcp_echo {

// One read's worth per connection in every model: a 4 KiB message arrives whole, and a few
// pipelined small ones are echoed with one write.
inline constexpr std::size_t kEchoBufferBytes = std::size_t{16} * 1024;

struct Params {
  int connections = 0;
  std::size_t message_bytes = 0;
  std::chrono::milliseconds warmup{0};    // connections open and busy, not recorded
  std::chrono::milliseconds duration{0};  // recorded
};

// The load's figures and the server's usage (harness/net/server_load_result.hpp, shared by
// the server workloads); completed: requests answered with exactly the bytes sent.
using Result = harness::ServerLoadResult;

struct Workload : common::ServerLoadChecks<Params> {
  using Params = tcp_echo::Params;
  using Result = tcp_echo::Result;

  static constexpr std::string_view name = "io/tcp_echo";

  // 1 connection is pure round-trip latency; 64 keeps a one-thread server busy with many
  // ready sockets per epoll_wait; 1,024 is where a thread or process per connection costs
  // memory and scheduling. Quick: the reference point plus one large message, short phases.
  // Full: 0.6 s per repetition, three repetitions (corio-bench's full profile) for a median.
  static std::vector<Params> points(harness::Profile profile) {
    using std::chrono::milliseconds;
    if (profile == harness::Profile::quick) {
      const auto quick_point = [](std::size_t bytes) {
        return Params{.connections = 64,
                      .message_bytes = bytes,
                      .warmup = milliseconds(100),
                      .duration = milliseconds(500)};
      };
      return {quick_point(64), quick_point(4096)};
    }
    std::vector<Params> points;
    for (const int connections : {1, 64, 1024}) {
      for (const std::size_t bytes : {std::size_t{64}, std::size_t{4096}}) {
        points.push_back(Params{.connections = connections,
                                .message_bytes = bytes,
                                .warmup = milliseconds(100),
                                .duration = milliseconds(600)});
      }
    }
    return points;
  }

  static std::string label(const Params& params) {
    return "conns:" + std::to_string(params.connections) +
           "/size:" + std::to_string(params.message_bytes);
  }

  // check, iterations, items, counters: ServerLoadChecks (workloads/common/server_models.hpp).
};

}  // namespace workloads::io::tcp_echo
