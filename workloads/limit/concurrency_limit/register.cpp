// Registers limit/concurrency_limit's models with the harness (workloads/registry.cpp calls this).
#include "harness/workload.hpp"

namespace workloads {

void register_limit_concurrency_limit(harness::Profile /*profile*/) {}

void register_limit_concurrency_limit_servers() {}

}  // namespace workloads
