// Registers io/http_fanout's models with the harness (workloads/registry.cpp calls this): the
// fan-out clients (register_clients.hpp) against the shared /delay server.
#include <string>

#include "harness/net/server_registry.hpp"
#include "harness/workload.hpp"
#include "workloads/io/http_fanout/params.hpp"
#include "workloads/io/http_fanout/register_clients.hpp"
#include "workloads/io/http_fanout/servers.hpp"

namespace workloads {

void register_io_http_fanout(harness::Profile profile) {
  namespace fanout = workloads::io::http_fanout;
  fanout::register_clients<fanout::Workload, fanout::SequentialWorkload, fanout::fanout_spec>(
      profile);
}

void register_io_http_fanout_servers() {
  namespace fanout = workloads::io::http_fanout;
  harness::register_server(std::string(fanout::kServerWorkload), "corio", fanout::serve_delay_api);
}

}  // namespace workloads
