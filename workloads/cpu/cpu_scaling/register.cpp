// Registers cpu/cpu_scaling's models (workloads/list.hpp names this folder). CPU work needs no
// server.
#include <chrono>

#include "harness/registrar.hpp"
#include "harness/rusage.hpp"
#include "workloads/cpu/cpu_scaling/json.hpp"
#include "workloads/cpu/cpu_scaling/params.hpp"

namespace workloads::cpu::cpu_scaling {
namespace {

// The model's call, plus the CPU time every thread of this process used during it (threads
// that started and ended inside the call included). Measured here, around the call, so that
// every model is measured the same way.
template <Result (*Model)(const Params&)>
Result with_cpu_time(const Params& params) {
  const std::chrono::nanoseconds before = harness::cpu_time();
  Result result = Model(params);
  result.cpu_time += harness::cpu_time() - before;
  return result;
}

}  // namespace

void register_workload(harness::Registrar& registrar) {
  // sequential is the speed-up baseline: W = 1 only.
  registrar.model<SequentialWorkload>("sequential", with_cpu_time<sequential>);
  registrar.model<Workload>("corio", with_cpu_time<corio>);
  registrar.model<Workload>("corio_mt", with_cpu_time<corio_mt>);
  registrar.model<Workload>("threads", with_cpu_time<threads>);
  registrar.model<Workload>("thread_pool", with_cpu_time<thread_pool>);
  registrar.model<Workload>("processes", with_cpu_time<processes>);
  registrar.model<Workload>("asio_mt", with_cpu_time<asio_mt>);
  registrar.model<Workload>("libuv", with_cpu_time<libuv>);
  // Python (py_kernels.py, a smaller Work: params.hpp's python_work_for); each model measures
  // its own CPU time. py_sequential is their baseline, as sequential is the C++ models'.
  registrar.external<PythonSequentialWorkload>(
      harness::python_model(Workload::name, "py_sequential"));
  registrar.external<PythonWorkload>(harness::python_model(Workload::name, "py_asyncio"));
  registrar.external<PythonWorkload>(harness::python_model(Workload::name, "py_threads"));
  registrar.external<PythonWorkload>(harness::python_model(Workload::name, "py_processes"));
  // Go and tokio (go.go, tokio.rs): compiled, so the C++ Work; each measures its own CPU time.
  // go and tokio run the parts on one thread (corio's row), go_mt on GOMAXPROCS = the cores,
  // tokio_mt on spawn_blocking's pool.
  registrar.external<Workload>(harness::go_model(Workload::name, harness::Threads::one));
  registrar.external<Workload>(harness::go_model(Workload::name, harness::Threads::all));
  registrar.external<Workload>(harness::tokio_model(Workload::name, harness::Threads::one));
  registrar.external<Workload>(harness::tokio_model(Workload::name, harness::Threads::all));
}

}  // namespace workloads::cpu::cpu_scaling
