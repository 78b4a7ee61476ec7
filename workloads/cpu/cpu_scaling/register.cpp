// Registers cpu/cpu_scaling's models with the harness (workloads/registry.cpp calls this).
#include <chrono>

#include "harness/rusage.hpp"
#include "harness/workload.hpp"
#include "workloads/cpu/cpu_scaling/params.hpp"

namespace workloads {
namespace {

namespace cs = cpu::cpu_scaling;

// The model's call, plus the CPU time every thread of this process used during it (threads
// that started and ended inside the call included). Measured here, around the call, so that
// every model is measured the same way.
template <cs::Result (*Model)(const cs::Params&)>
cs::Result with_cpu_time(const cs::Params& params) {
  const std::chrono::nanoseconds before = harness::cpu_time();
  cs::Result result = Model(params);
  result.cpu_time += harness::cpu_time() - before;
  return result;
}

}  // namespace

void register_cpu_cpu_scaling(harness::Profile profile) {
  // sequential is the speed-up baseline: W = 1 only.
  harness::register_model<cs::SequentialWorkload>("sequential", with_cpu_time<cs::sequential>,
                                                  profile);
  harness::register_model<cs::Workload>("corio", with_cpu_time<cs::corio>, profile);
  harness::register_model<cs::Workload>("corio_mt", with_cpu_time<cs::corio_mt>, profile);
  harness::register_model<cs::Workload>("threads", with_cpu_time<cs::threads>, profile);
  harness::register_model<cs::Workload>("thread_pool", with_cpu_time<cs::thread_pool>, profile);
  harness::register_model<cs::Workload>("processes", with_cpu_time<cs::processes>, profile);
  harness::register_model<cs::Workload>("asio_mt", with_cpu_time<cs::asio_mt>, profile);
  harness::register_model<cs::Workload>("libuv", with_cpu_time<cs::libuv>, profile);
}

// CPU work needs no server.
void register_cpu_cpu_scaling_servers() {}

}  // namespace workloads
