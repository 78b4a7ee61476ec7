// io/tcp_echo's benchmark function, shared by every model (see load_run.hpp).
#include "workloads/io/tcp_echo/load_run.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "harness/net/load_generator.hpp"
#include "harness/net/server_process.hpp"
#include "workloads/io/tcp_echo/blocking_socket.hpp"

namespace workloads::io::tcp_echo {
namespace {

// Descriptors this process holds besides the load's sockets (stdio, the server's pipes,
// epoll, Google Benchmark's files), with room to spare.
constexpr int kSpareDescriptors = 64;

double microseconds(std::int64_t nanoseconds) { return static_cast<double>(nanoseconds) / 1e3; }

std::vector<std::pair<std::string, std::string>> server_params(std::string_view model,
                                                               const Params& params) {
  // A prefork worker serves one connection at a time: one worker per client connection.
  if (model == "processes") return {{"workers", std::to_string(params.connections)}};
  return {};
}

}  // namespace

Result measure(std::string_view model, const Params& params) {
  // The load generator holds one socket per connection; the server raises its own limit.
  raise_fd_limit(params.connections + kSpareDescriptors);

  harness::ServerProcess server = harness::ServerProcess::start_serve(
      std::string(Workload::name), std::string(model), server_params(model, params));

  harness::LoadOptions options;
  options.port = server.port();
  options.protocol = harness::LoadProtocol::echo;
  options.message_bytes = params.message_bytes;
  options.connections = params.connections;
  options.warmup = params.warmup;
  options.duration = params.duration;
  const harness::LoadReport report = harness::run_load(options);

  Result result;
  result.completed = report.completed;
  result.errors = report.errors;
  result.first_error = report.first_error;
  result.requests_per_second = report.requests_per_second();
  result.latency_p50_us = microseconds(report.latency.percentile_ns(50));
  result.latency_p90_us = microseconds(report.latency.percentile_ns(90));
  result.latency_p99_us = microseconds(report.latency.percentile_ns(99));
  result.latency_p999_us = microseconds(report.latency.percentile_ns(99.9));
  result.latency_max_us = microseconds(report.latency.max_ns());
  try {
    const harness::ServerUsage usage = server.stop();
    result.server_rss_bytes = usage.max_rss_bytes;
    result.server_ctx_voluntary = usage.voluntary_switches;
    result.server_ctx_involuntary = usage.involuntary_switches;
  } catch (const std::runtime_error& error) {
    result.server_error = error.what();  // "server died: ..."
  }
  return result;
}

}  // namespace workloads::io::tcp_echo
