// Registers limit/concurrency_limit's models with the harness (workloads/registry.cpp calls
// this). The clients are io/http_fanout's, one per model; the server is this folder's.
#include "harness/net/server_registry.hpp"
#include "harness/workload.hpp"
#include "workloads/io/http_fanout/client.hpp"
#include "workloads/io/http_fanout/fanout_run.hpp"
#include "workloads/limit/concurrency_limit/params.hpp"
#include "workloads/limit/concurrency_limit/servers.hpp"

namespace workloads {
namespace {

namespace fanout = workloads::io::http_fanout;
namespace concurrency = workloads::limit::concurrency_limit;

// One model's run: its fan-out client against the capacity-C server of this point.
template <fanout::ClientFn client>
fanout::FanoutRun run(const concurrency::Params& params) {
  return fanout::run_fanout(client, concurrency::fanout_spec(params));
}

}  // namespace

void register_limit_concurrency_limit(harness::Profile profile) {
  using concurrency::SequentialWorkload;
  using concurrency::Workload;
  harness::register_model<SequentialWorkload>("sequential", run<fanout::sequential>, profile);
  harness::register_model<Workload>("corio", run<fanout::corio>, profile);
  harness::register_model<Workload>("corio_mt", run<fanout::corio_mt>, profile);
  harness::register_model<Workload>("threads", run<fanout::threads>, profile);
  harness::register_model<Workload>("thread_pool", run<fanout::thread_pool>, profile);
  harness::register_model<Workload>("processes", run<fanout::processes>, profile);
  harness::register_model<Workload>("asio", run<fanout::asio>, profile);
  harness::register_model<Workload>("asio_mt", run<fanout::asio_mt>, profile);
  harness::register_model<Workload>("libuv", run<fanout::libuv>, profile);
}

void register_limit_concurrency_limit_servers() {
  harness::register_server("limit/concurrency_limit", "corio", concurrency::serve_limited,
                           {"capacity", "delay_ms", "queue_bound"});
}

}  // namespace workloads
