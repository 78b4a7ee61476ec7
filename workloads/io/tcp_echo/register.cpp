// Registers io/tcp_echo's models and servers (workloads/list.hpp names this folder): each
// model is a server (servers.hpp, one file per model) plus the one benchmark function that
// starts it and loads it (load_run.hpp). The py_* models' servers are Python scripts here,
// the go* and tokio* models' servers go.go and tokio.rs.
#include "harness/registrar.hpp"
#include "workloads/common/server_models.hpp"
#include "workloads/io/tcp_echo/load_run.hpp"
#include "workloads/io/tcp_echo/params.hpp"
#include "workloads/io/tcp_echo/servers.hpp"

namespace workloads::io::tcp_echo {
namespace {

template <common::ServerName... Models>
void add_models(harness::Registrar& registrar) {
  (registrar.model<Workload>(Models.view(), measure_model<Models>), ...);
}

}  // namespace

void register_workload(harness::Registrar& registrar) {
  add_models<"corio", "corio_mt", "threads", "thread_pool", "processes", "asio", "asio_mt",
             "libuv">(registrar);
  // The Python models' servers are scripts in this folder (py_*.py), started by load_run.cpp
  // as outside servers (workloads/common/python_server.hpp), not `corio-bench serve` servers.
  add_models<"py_asyncio", "py_uvloop", "py_threads", "py_processes">(registrar);
  // The Go and tokio models' servers are go.go and tokio.rs here, built into programs and
  // started the same way (workloads/common/built_server.hpp): go and tokio on one thread,
  // go_mt and tokio_mt on every core (beside corio_mt and asio_mt).
  add_models<"go", "go_mt", "tokio", "tokio_mt">(registrar);

  common::register_servers(registrar, Workload::name,
                           {.corio = serve_corio,
                            .corio_mt = serve_corio_mt,
                            .threads = serve_threads,
                            .thread_pool = serve_thread_pool,
                            .processes = serve_processes,
                            .asio = serve_asio,
                            .asio_mt = serve_asio_mt,
                            .libuv = serve_libuv});
}

}  // namespace workloads::io::tcp_echo
