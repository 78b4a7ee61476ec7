// Registers io/http_fanout's models and server (workloads/list.hpp names this folder): the
// fan-out clients (workloads/common/fanout_register.hpp) against the shared /delay server.
#include <string_view>

#include "harness/registrar.hpp"
#include "workloads/common/fanout_register.hpp"
#include "workloads/io/http_fanout/json.hpp"
#include "workloads/io/http_fanout/params.hpp"
#include "workloads/io/http_fanout/servers.hpp"

namespace workloads::io::http_fanout {

void register_workload(harness::Registrar& registrar) {
  common::fanout::register_clients<Workload, SequentialWorkload, fanout_spec>(registrar);
  // Python's clients (py_*.py), run as child processes against the same server.
  registrar.external<PythonWorkload>(harness::python_model(Workload::name, "py_asyncio"));
  registrar.external<PythonWorkload>(harness::python_model(Workload::name, "py_uvloop"));
  registrar.external<PythonWorkload>(harness::python_model(Workload::name, "py_threads"));
  registrar.server(kServerWorkload, "corio", serve_delay_api);
}

}  // namespace workloads::io::http_fanout
