// Registers limit/concurrency_limit's models and server (workloads/list.hpp names this folder).
// The clients are io/http_fanout's, one per model (register_clients.hpp); the server is this
// folder's, with capacity C.
#include "harness/registrar.hpp"
#include "workloads/io/http_fanout/register_clients.hpp"
#include "workloads/limit/concurrency_limit/params.hpp"
#include "workloads/limit/concurrency_limit/servers.hpp"

namespace workloads::limit::concurrency_limit {

void register_workload(harness::Registrar& registrar) {
  io::http_fanout::register_clients<Workload, SequentialWorkload, fanout_spec>(registrar);
  registrar.server(Workload::name, "corio", serve_limited, {"capacity", "delay_ms", "queue_bound"});
}

}  // namespace workloads::limit::concurrency_limit
