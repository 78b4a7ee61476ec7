// Registers runtime/sync's models (workloads/list.hpp names this folder). No servers.
#include "harness/registrar.hpp"
#include "workloads/runtime/sync/params.hpp"

namespace workloads::runtime::sync {

void register_workload(harness::Registrar& registrar) {
  // libuv has no sync: README.md says why.
  registrar.model<Workload>("corio", corio);
  registrar.model<Workload>("asio", asio);
  registrar.model<ThreadsWorkload>("threads", threads);
}

}  // namespace workloads::runtime::sync
