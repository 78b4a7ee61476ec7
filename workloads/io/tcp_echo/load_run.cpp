// io/tcp_echo's benchmark function, shared by every model (see load_run.hpp).
#include "workloads/io/tcp_echo/load_run.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "harness/net/load_generator.hpp"
#include "harness/net/server_process.hpp"
#include "workloads/common/built_server.hpp"
#include "workloads/common/python_server.hpp"

namespace workloads::io::tcp_echo {
namespace {

// A C++ model's server through `corio-bench serve`, a Python model's script
// (workloads/common/python_server.hpp), or a Go or tokio model's program
// (workloads/common/built_server.hpp); py_processes, like processes, gets one worker per
// client connection.
harness::ServerProcess start_server(std::string_view model, const Params& params) {
  if (common::is_built_server(model)) return common::start_built_server(Workload::name, model, {});
  if (common::is_python_server(model)) {
    std::vector<std::string> args;
    if (model == "py_processes") args = {"--workers", std::to_string(params.connections)};
    return common::start_python_server(Workload::name, model, args, model == "py_processes");
  }
  return harness::ServerProcess::start_serve(std::string(Workload::name), std::string(model),
                                             common::server_params(model, params.connections));
}

}  // namespace

Result measure(std::string_view model, const Params& params) {
  harness::ServerProcess server = start_server(model, params);

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
