// Registers io/pipeline's models (workloads/list.hpp names this folder). No servers.
#include "harness/registrar.hpp"
#include "workloads/io/pipeline/json.hpp"
#include "workloads/io/pipeline/params.hpp"

namespace workloads::io::pipeline {

void register_workload(harness::Registrar& registrar) {
  registrar.model<SequentialWorkload>("sequential", sequential);
  registrar.model<Workload>("corio", corio);
  // corio_mt offloads only CPU work: a 1 ms wait needs no thread (corio_mt.cpp says more).
  registrar.model<CpuWorkload>("corio_mt", corio_mt);
  registrar.model<Workload>("threads", threads);
  registrar.model<Workload>("thread_pool", thread_pool);
  registrar.model<Workload>("processes", processes);
  registrar.model<Workload>("asio", asio);
  registrar.model<Workload>("asio_mt", asio_mt);
  registrar.model<Workload>("libuv", libuv);
  registrar.external<PythonWorkload>(harness::python_model(Workload::name, "py_asyncio"));
  registrar.external<PythonWorkload>(harness::python_model(Workload::name, "py_uvloop"));
  registrar.external<PythonWorkload>(harness::python_model(Workload::name, "py_threads"));
  // Go and tokio (go.go, tokio.rs): compiled, so the C++ models' points; the _mt rows too, as
  // asio_mt's, since a goroutine or task waiting 1 ms holds no thread.
  registrar.external<Workload>(harness::go_model(Workload::name, harness::Threads::one));
  registrar.external<Workload>(harness::go_model(Workload::name, harness::Threads::all));
  registrar.external<Workload>(harness::tokio_model(Workload::name, harness::Threads::one));
  registrar.external<Workload>(harness::tokio_model(Workload::name, harness::Threads::all));
}

}  // namespace workloads::io::pipeline
