// Registers runtime/skynet's models (workloads/list.hpp names this folder). No servers.
#include "harness/registrar.hpp"
#include "workloads/runtime/skynet/json.hpp"
#include "workloads/runtime/skynet/params.hpp"

namespace workloads::runtime::skynet {

void register_workload(harness::Registrar& registrar) {
  // libuv and threads have no skynet: README.md says why.
  registrar.model<Workload>("corio", corio);
  registrar.model<Workload>("asio", asio);
  registrar.external<PythonWorkload>(harness::python_model(Workload::name, "py_asyncio"));
  registrar.external<PythonWorkload>(harness::python_model(Workload::name, "py_uvloop"));
  registrar.external<Workload>(harness::go_model(Workload::name, harness::Threads::one));
  registrar.external<Workload>(harness::tokio_model(Workload::name, harness::Threads::one));
}

}  // namespace workloads::runtime::skynet
