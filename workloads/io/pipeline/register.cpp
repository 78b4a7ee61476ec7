// Registers io/pipeline's models with the harness (workloads/registry.cpp calls this).
#include "harness/workload.hpp"

namespace workloads {

void register_io_pipeline(harness::Profile /*profile*/) {}

void register_io_pipeline_servers() {}

}  // namespace workloads
