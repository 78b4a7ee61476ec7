// io/http_plaintext's benchmark function, shared by every row (see load_run.hpp).
#include "workloads/io/http_plaintext/load_run.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "harness/net/load_generator.hpp"
#include "harness/net/server_process.hpp"
#include "workloads/common/built_server.hpp"
#include "workloads/common/python_server.hpp"
#include "workloads/io/http_plaintext/nginx.hpp"
#include "workloads/io/http_plaintext/tools.hpp"
#include "workloads/io/http_plaintext/wrk.hpp"

namespace workloads::io::http_plaintext {
namespace {

// One of our models' servers (through `corio-bench serve`, a Python model's script,
// workloads/common/python_server.hpp, or a Go or tokio model's program,
// workloads/common/built_server.hpp) or nginx.
using RunningServer = std::variant<harness::ServerProcess, NginxServer>;

RunningServer start_server(std::string_view server, const Params& params) {
  if (server == "nginx") return NginxServer::start(Tools::installed().nginx);
  if (common::is_built_server(server))
    return common::start_built_server(Workload::name, server, {});
  if (common::is_python_server(server)) {
    // py_processes, like processes, gets one prefork worker per client connection.
    std::vector<std::string> args;
    if (server == "py_processes") args = {"--workers", std::to_string(params.connections)};
    return common::start_python_server(Workload::name, server, args, server == "py_processes");
  }
  return harness::ServerProcess::start_serve(std::string(Workload::name), std::string(server),
                                             common::server_params(server, params.connections));
}

void load_with_generator(std::uint16_t port, const Params& params, Result& result) {
  harness::LoadOptions options;
  options.port = port;
  options.protocol = harness::LoadProtocol::http_get;
  options.target = "/plaintext";
  options.connections = params.connections;
  options.warmup = params.warmup;
  options.duration = params.duration;
  result.record_load(harness::run_load(options));
}

void load_with_wrk(std::uint16_t port, const Params& params, Result& result) {
  const WrkReport report =
      run_wrk(Tools::installed().wrk, port, params.connections, params.wrk_duration);
  result.completed = report.requests - report.status_errors;
  result.errors = report.errors();
  if (result.errors > 0) {
    result.first_error = "wrk: non-2xx/3xx " + std::to_string(report.status_errors) +
                         ", socket errors: connect " + std::to_string(report.connect_errors) +
                         ", read " + std::to_string(report.read_errors) + ", write " +
                         std::to_string(report.write_errors) + ", timeout " +
                         std::to_string(report.timeouts);
  }
  result.requests_per_second = report.requests_per_second();
  result.latency_p50_us = report.p50_us;
  result.latency_p90_us = report.p90_us;
  result.latency_p99_us = report.p99_us;
  result.latency_p999_us = report.p999_us;
  result.latency_max_us = report.max_us;
}

}  // namespace

const Tools& Tools::installed() {
  static const Tools tools{.wrk = find_program("wrk"), .nginx = find_program("nginx")};
  return tools;
}

Result measure(std::string_view server, Loader loader, const Params& params) {
  RunningServer running = start_server(server, params);
  const std::uint16_t port = std::visit([](const auto& s) { return s.port(); }, running);
  Result result;
  if (loader == Loader::generator) {
    load_with_generator(port, params, result);
  } else {
    load_with_wrk(port, params, result);
  }
  result.record_server_stop(
      [&running] { return std::visit([](auto& s) { return s.stop(); }, running); });
  return result;
}

}  // namespace workloads::io::http_plaintext
