// Registers io/http_fanout's models and server (workloads/list.hpp names this folder): the
// fan-out clients (workloads/common/fanout_register.hpp) against the shared /delay server.
#include <string_view>

#include "harness/registrar.hpp"
#include "workloads/common/fanout_register.hpp"
#include "workloads/io/http_fanout/params.hpp"
#include "workloads/io/http_fanout/servers.hpp"

namespace workloads::io::http_fanout {

void register_workload(harness::Registrar& registrar) {
  common::fanout::register_clients<Workload, SequentialWorkload, fanout_spec>(registrar);
  registrar.server(kServerWorkload, "corio", serve_delay_api);
}

}  // namespace workloads::io::http_fanout
