// Registers runtime/gather's models (workloads/list.hpp names this folder). No servers.
#include "harness/registrar.hpp"
#include "workloads/runtime/gather/json.hpp"
#include "workloads/runtime/gather/params.hpp"

namespace workloads::runtime::gather {

void register_workload(harness::Registrar& registrar) {
  registrar.model<Workload>("corio", corio);
  registrar.model<Workload>("asio", asio);
  registrar.model<Workload>("libuv", libuv);
  registrar.model<ThreadsWorkload>("threads", threads);
  registrar.external<PythonWorkload>(harness::python_model(Workload::name, "py_asyncio"));
  registrar.external<PythonWorkload>(harness::python_model(Workload::name, "py_uvloop"));
  registrar.external<Workload>(harness::go_model(Workload::name, harness::Threads::one));
  registrar.external<Workload>(harness::tokio_model(Workload::name, harness::Threads::one));
}

}  // namespace workloads::runtime::gather
