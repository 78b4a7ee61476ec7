// Registers limit/concurrency_limit's models and server (workloads/list.hpp names this folder).
// The clients are the shared fan-out clients, one per model (workloads/common/fanout_register.hpp,
// also io/http_fanout's); the server is this folder's, with capacity C.
#include "harness/registrar.hpp"
#include "workloads/common/fanout_register.hpp"
#include "workloads/limit/concurrency_limit/json.hpp"
#include "workloads/limit/concurrency_limit/params.hpp"
#include "workloads/limit/concurrency_limit/servers.hpp"

namespace workloads::limit::concurrency_limit {

void register_workload(harness::Registrar& registrar) {
  common::fanout::register_clients<Workload, SequentialWorkload, fanout_spec>(registrar);
  // Python's clients (py_*.py), run as child processes against the same server.
  registrar.external<PythonWorkload>(harness::python_model(Workload::name, "py_asyncio"));
  registrar.external<PythonWorkload>(harness::python_model(Workload::name, "py_uvloop"));
  registrar.external<PythonWorkload>(harness::python_model(Workload::name, "py_threads"));
  // Go's and tokio's clients (go.go, tokio.rs): one thread, and one per core beside corio_mt.
  registrar.external<ExternalWorkload>(harness::go_model(Workload::name, harness::Threads::one));
  registrar.external<ExternalWorkload>(harness::go_model(Workload::name, harness::Threads::all));
  registrar.external<ExternalWorkload>(harness::tokio_model(Workload::name, harness::Threads::one));
  registrar.external<ExternalWorkload>(harness::tokio_model(Workload::name, harness::Threads::all));
  registrar.server(Workload::name, "corio", serve_limited, {"capacity", "delay_ms", "queue_bound"});
}

}  // namespace workloads::limit::concurrency_limit
