// io/tcp_echo's benchmark function, shared by every model (see load_run.hpp).
#include "workloads/io/tcp_echo/load_run.hpp"

#include <cstdint>
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
  result.record_load(report);
  result.record_server_stop([&server] { return server.stop(); });
  return result;
}

}  // namespace workloads::io::tcp_echo
