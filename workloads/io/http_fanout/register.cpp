// Registers io/http_fanout's models with the harness (workloads/registry.cpp calls this).
#include "harness/net/server_registry.hpp"
#include "harness/workload.hpp"
#include "workloads/io/http_fanout/client.hpp"
#include "workloads/io/http_fanout/fanout_run.hpp"
#include "workloads/io/http_fanout/params.hpp"
#include "workloads/io/http_fanout/servers.hpp"

namespace workloads {
namespace {

namespace fanout = workloads::io::http_fanout;

// One model's run: its client against the shared /delay server.
template <fanout::ClientFn client>
fanout::FanoutRun run(const fanout::Params& params) {
  return fanout::run_fanout(client, fanout::fanout_spec(params));
}

}  // namespace

void register_io_http_fanout(harness::Profile profile) {
  using fanout::SequentialWorkload;
  using fanout::Workload;
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

void register_io_http_fanout_servers() {
  harness::register_server("io/http_fanout", "corio", fanout::serve_delay_api);
}

}  // namespace workloads
