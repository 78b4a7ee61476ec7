// Registers io/http_fanout's models with the harness (workloads/registry.cpp calls this).
#include "harness/workload.hpp"

namespace workloads {

void register_io_http_fanout(harness::Profile /*profile*/) {}

void register_io_http_fanout_servers() {}

}  // namespace workloads
