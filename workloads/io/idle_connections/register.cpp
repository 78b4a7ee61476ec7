// Registers io/idle_connections's rows (workloads/list.hpp names this folder). Each row is one
// of io/http_plaintext's servers (started through `corio-bench serve`, so this folder has no
// server of its own and no model files: measure.hpp's one body serves every row).
//
// Left out: threads and processes hold a thread or a process per connection (10,000 of them
// is a test of the OS's limits, not of a connection's bytes), and nginx's start-up lives in
// io/http_plaintext's folder (workloads/io/http_plaintext/nginx.hpp), which this folder does not
// reach into; its figure from the issue, 526 bytes, is quoted in the README.
#include "harness/registrar.hpp"
#include "workloads/io/idle_connections/measure.hpp"
#include "workloads/io/idle_connections/params.hpp"

namespace workloads::io::idle_connections {
namespace {

template <common::ServerName... S>
void add_rows(harness::Registrar& registrar) {
  (registrar.model<Workload>(S.view(), measure_row<S>), ...);
}

}  // namespace

void register_workload(harness::Registrar& registrar) {
  add_rows<"corio", "corio_mt", "thread_pool", "asio", "asio_mt", "libuv">(registrar);
}

}  // namespace workloads::io::idle_connections
