// The one model function of mixed/blocking_in_loop: start the model's server in a child
// process, load it open-loop, stop it; and the counters from the load's report.
#include <chrono>
#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "harness/bad_input.hpp"
#include "harness/net/server_process.hpp"
#include "workloads/common/built_server.hpp"
#include "workloads/common/python_server.hpp"
#include "workloads/mixed/blocking_in_loop/params.hpp"

namespace workloads::mixed::blocking_in_loop {
namespace {

// Long enough for the server's lazily started threads (corio's to_thread pool) and the
// connections to be up before anything is recorded.
constexpr std::chrono::milliseconds kWarmup{300};

// plots/README.md: cdf_p1_us ... cdf_p99_9_us, the cheap requests' latency CDF.
constexpr std::pair<double, const char*> kCdfPoints[] = {
    {1, "cdf_p1_us"},   {5, "cdf_p5_us"},      {10, "cdf_p10_us"}, {20, "cdf_p20_us"},
    {30, "cdf_p30_us"}, {40, "cdf_p40_us"},    {50, "cdf_p50_us"}, {60, "cdf_p60_us"},
    {70, "cdf_p70_us"}, {80, "cdf_p80_us"},    {90, "cdf_p90_us"}, {95, "cdf_p95_us"},
    {99, "cdf_p99_us"}, {99.9, "cdf_p99_9_us"}};

double us(std::int64_t ns) { return static_cast<double>(ns) / 1e3; }

// A C++ model's server through `corio-bench serve`, a Python model's script
// (workloads/common/python_server.hpp) or a Go or tokio model's program
// (workloads/common/built_server.hpp), with the same three settings.
harness::ServerProcess start_server(std::string_view model, const Params& params) {
  if (common::is_built_server(model)) {
    return common::start_built_server(kWorkloadName, model,
                                      {"--variant", params.variant, "--work", params.work,
                                       "--work-ms", std::to_string(params.work_ms)});
  }
  if (common::is_python_server(model)) {
    return common::start_python_server(kWorkloadName, model,
                                       {"--variant", params.variant, "--work", params.work,
                                        "--work-ms", std::to_string(params.work_ms)});
  }
  return harness::ServerProcess::start_serve(std::string(kWorkloadName), std::string(model),
                                             {{"variant", params.variant},
                                              {"work", params.work},
                                              {"work_ms", std::to_string(params.work_ms)}});
}

}  // namespace

Result load_server(std::string_view model, const Params& params) {
  Result result;
  try {
    harness::ServerProcess server = start_server(model, params);
    harness::LoadOptions options;
    options.port = server.port();
    options.protocol = harness::LoadProtocol::http_get;
    options.target = "/cheap";
    options.second_target = "/expensive";
    options.second_every = params.expensive_every;
    // Every answer is checked: /cheap says "ok", /expensive "ok <the work's result>".
    options.expected_body = harness::ExpectedBody::exactly("ok");
    options.second_expected_body = harness::ExpectedBody::starting_with("ok ");
    options.connections = params.connections;
    options.rate_per_second = params.rate_per_second;
    options.warmup = kWarmup;
    options.duration = std::chrono::milliseconds(params.duration_ms);
    result.report = harness::run_load(options);
    const harness::ServerUsage usage = server.stop();  // throws if the server had died
    result.server_rss_bytes = usage.max_rss_bytes;
    result.server_voluntary_switches = usage.voluntary_switches;
  } catch (const harness::BadInput&) {
    throw;  // an impossible option: the harness reports it as such
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  return result;
}

void Workload::counters(const Params& /*params*/, const Result& result,
                        harness::Counters& counters) {
  const harness::LoadReport& report = result.report;
  const harness::LatencyHistogram& cheap = report.latency;
  const harness::LatencyHistogram& expensive = report.second_latency;
  counters.set("requests_per_second", report.requests_per_second());
  counters.set("latency_p50_us", us(cheap.percentile_ns(50)));
  counters.set("latency_p99_us", us(cheap.percentile_ns(99)));
  counters.set("latency_p999_us", us(cheap.percentile_ns(99.9)));
  counters.set("latency_max_us", us(cheap.max_ns()));
  for (const auto& [percentile, counter] : kCdfPoints) {
    counters.set(counter, us(cheap.percentile_ns(percentile)));
  }
  counters.set("expensive_p50_us", us(expensive.percentile_ns(50)));
  counters.set("expensive_p99_us", us(expensive.percentile_ns(99)));
  counters.set("errors", static_cast<double>(report.errors));
  counters.set("server_rss_bytes", static_cast<double>(result.server_rss_bytes));
  counters.set("server_ctx_voluntary", static_cast<double>(result.server_voluntary_switches));
}

}  // namespace workloads::mixed::blocking_in_loop
