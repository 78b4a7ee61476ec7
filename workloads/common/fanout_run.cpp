// run_fanout: see fanout_run.hpp.
#include "workloads/common/fanout_run.hpp"

#include <algorithm>
#include <array>
#include <malloc.h>

#include <corio/net/http_parser.hpp>

#include "harness/fd_limit.hpp"
#include "harness/rusage.hpp"

namespace workloads::common::fanout {
namespace {

constexpr std::string_view kHost = "127.0.0.1";

std::string request_for(const std::string& target) {
  std::array<char, 512> head{};
  const std::size_t size =
      corio::net::http::write_request_head(head, "GET", target, kHost, /*keep_alive=*/true);
  return {head.data(), size};
}

}  // namespace

FanoutRun run_fanout(ClientFn client, const FanoutSpec& spec) {
  FanoutRun run;
  // Every connection is a descriptor here, and one in the server too (which inherits the
  // limit raised here: shared_server_port raises it before starting any server).
  if (const std::string shortfall = harness::descriptor_shortfall(spec.limit); !shortfall.empty()) {
    run.client.failed = spec.requests;
    run.client.first_error = "limit:" + std::to_string(spec.limit) + ": " + shortfall;
    return run;
  }

  ClientJob job;
  job.port = shared_server_port(spec.workload, "corio", spec.server_params, &run.started_server);
  job.target = spec.target;
  job.request = request_for(spec.target);
  job.requests = spec.requests;
  job.limit = spec.limit;
  job.expected_body = spec.expected_body;
  job.rejections_expected = spec.rejections_expected;
  job.measure_workers = spec.measure_memory;

  std::int64_t baseline_rss = 0;
  if (spec.measure_memory) {
    ::malloc_trim(0);  // memory an earlier run freed would hide this run's growth
    baseline_rss = harness::current_rss_bytes();
    harness::reset_peak_rss();
  }
  run.client = client(job);
  if (run.client.last_response > run.client.first_request) {
    run.requesting = run.client.last_response - run.client.first_request;
  }
  if (spec.measure_memory) {
    // Growth, not the absolute peak: what earlier workloads left resident in this process is
    // not the client's (run alone, the absolute figure was 12 MiB; after the io group, 67).
    run.client_rss_bytes = std::max<std::int64_t>(0, harness::peak_rss_bytes() - baseline_rss) +
                           run.client.worker_private_bytes;
  }
  return run;
}

}  // namespace workloads::common::fanout
