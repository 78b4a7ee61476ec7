// Registers cpu/cpu_scaling's models with the harness (workloads/registry.cpp calls this).
#include "harness/workload.hpp"
#include "workloads/cpu/cpu_scaling/params.hpp"

namespace workloads {

void register_cpu_cpu_scaling(harness::Profile profile) {
  namespace cs = cpu::cpu_scaling;
  // sequential is the speed-up baseline: W = 1 only.
  harness::register_model<cs::SequentialWorkload>("sequential", cs::sequential, profile);
  harness::register_model<cs::Workload>("corio", cs::corio, profile);
  harness::register_model<cs::Workload>("corio_mt", cs::corio_mt, profile);
  harness::register_model<cs::Workload>("threads", cs::threads, profile);
  harness::register_model<cs::Workload>("thread_pool", cs::thread_pool, profile);
  harness::register_model<cs::Workload>("processes", cs::processes, profile);
  harness::register_model<cs::Workload>("asio_mt", cs::asio_mt, profile);
  harness::register_model<cs::Workload>("libuv", cs::libuv, profile);
}

// CPU work needs no server.
void register_cpu_cpu_scaling_servers() {}

}  // namespace workloads
