// Registers io/tcp_echo's models with the harness (workloads/registry.cpp calls this).
#include "harness/workload.hpp"

namespace workloads {

void register_io_tcp_echo(harness::Profile /*profile*/) {}

void register_io_tcp_echo_servers() {}

}  // namespace workloads
