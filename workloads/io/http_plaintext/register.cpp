// Registers io/http_plaintext's models with the harness (workloads/registry.cpp calls this).
#include "harness/workload.hpp"

namespace workloads {

void register_io_http_plaintext(harness::Profile /*profile*/) {}

void register_io_http_plaintext_servers() {}

}  // namespace workloads
