// Registers mixed/blocking_in_loop's models with the harness (workloads/registry.cpp calls this).
#include "harness/workload.hpp"

namespace workloads {

void register_mixed_blocking_in_loop(harness::Profile /*profile*/) {}

void register_mixed_blocking_in_loop_servers() {}

}  // namespace workloads
