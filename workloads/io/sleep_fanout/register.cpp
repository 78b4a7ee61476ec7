// Registers io/sleep_fanout's models (workloads/list.hpp names this folder), and the
// processes model's fork server (fork_server.hpp), which that model starts itself.
#include "harness/registrar.hpp"
#include "workloads/io/sleep_fanout/fork_server.hpp"
#include "workloads/io/sleep_fanout/json.hpp"
#include "workloads/io/sleep_fanout/params.hpp"

namespace workloads::io::sleep_fanout {

void register_workload(harness::Registrar& registrar) {
  registrar.model<SequentialWorkload>("sequential", sequential);
  registrar.model<Workload>("corio", corio);
  registrar.model<Workload>("corio_mt", corio_mt);
  registrar.model<ThreadsWorkload>("threads", threads);
  registrar.model<ThreadPoolWorkload>("thread_pool", thread_pool);
  registrar.model<ProcessesWorkload>("processes", processes);
  registrar.model<Workload>("asio", asio);
  registrar.model<Workload>("asio_mt", asio_mt);
  registrar.model<Workload>("libuv", libuv);
  registrar.external<PythonAsyncWorkload>(harness::python_model(Workload::name, "py_asyncio"));
  registrar.external<PythonAsyncWorkload>(harness::python_model(Workload::name, "py_uvloop"));
  registrar.external<PythonThreadsWorkload>(harness::python_model(Workload::name, "py_threads"));
  registrar.external<PythonProcessesWorkload>(
      harness::python_model(Workload::name, "py_processes"));
  // Go and tokio (go.go, tokio.rs): compiled, so the C++ models' points.
  registrar.external<Workload>(harness::go_model(Workload::name, harness::Threads::one));
  registrar.external<Workload>(harness::go_model(Workload::name, harness::Threads::all));
  registrar.external<Workload>(harness::tokio_model(Workload::name, harness::Threads::one));
  registrar.external<Workload>(harness::tokio_model(Workload::name, harness::Threads::all));

  registrar.server(Workload::name, "processes", serve_fork_server);
}

}  // namespace workloads::io::sleep_fanout
