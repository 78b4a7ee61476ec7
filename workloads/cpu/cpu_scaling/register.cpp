// Registers cpu/cpu_scaling's models with the harness (workloads/registry.cpp calls this).
#include "harness/workload.hpp"

namespace workloads {

void register_cpu_cpu_scaling(harness::Profile /*profile*/) {}

void register_cpu_cpu_scaling_servers() {}

}  // namespace workloads
