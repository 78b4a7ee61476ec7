// workloads/list.hpp, expanded twice: each folder's register_workload declared, then called.
#include "workloads/registry.hpp"

#include "harness/registrar.hpp"

#define CORIO_WORKLOAD(group, name)                      \
  namespace workloads::group::name {                     \
  void register_workload(harness::Registrar& registrar); \
  }
#include "workloads/list.hpp"
#undef CORIO_WORKLOAD

namespace workloads {

void register_all(harness::Registrar& registrar) {
#define CORIO_WORKLOAD(group, name) group::name::register_workload(registrar);
#include "workloads/list.hpp"
#undef CORIO_WORKLOAD
}

}  // namespace workloads
