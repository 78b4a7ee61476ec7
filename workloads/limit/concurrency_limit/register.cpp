// Registers limit/concurrency_limit's models with the harness (workloads/registry.cpp calls
// this). The clients are io/http_fanout's, one per model (register_clients.hpp); the server is
// this folder's, with capacity C.
#include "harness/net/server_registry.hpp"
#include "harness/workload.hpp"
#include "workloads/io/http_fanout/register_clients.hpp"
#include "workloads/limit/concurrency_limit/params.hpp"
#include "workloads/limit/concurrency_limit/servers.hpp"

namespace workloads {

void register_limit_concurrency_limit(harness::Profile profile) {
  namespace concurrency = workloads::limit::concurrency_limit;
  io::http_fanout::register_clients<concurrency::Workload, concurrency::SequentialWorkload,
                                    concurrency::fanout_spec>(profile);
}

void register_limit_concurrency_limit_servers() {
  harness::register_server("limit/concurrency_limit", "corio",
                           workloads::limit::concurrency_limit::serve_limited,
                           {"capacity", "delay_ms", "queue_bound"});
}

}  // namespace workloads
