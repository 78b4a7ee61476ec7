// Registers io/tcp_echo's models and servers (workloads/list.hpp names this folder): each
// model is a server (servers.hpp, one file per model) plus the one benchmark function that
// starts it and loads it (load_run.hpp).
#include <string_view>

#include "harness/registrar.hpp"
#include "workloads/io/tcp_echo/load_run.hpp"
#include "workloads/io/tcp_echo/params.hpp"
#include "workloads/io/tcp_echo/servers.hpp"

namespace workloads::io::tcp_echo {
namespace {

template <ModelName Model>
void add_model(harness::Registrar& registrar) {
  registrar.model<Workload>(Model.view(), measure_model<Model>);
}

}  // namespace

void register_workload(harness::Registrar& registrar) {
  add_model<"corio">(registrar);
  add_model<"corio_mt">(registrar);
  add_model<"threads">(registrar);
  add_model<"thread_pool">(registrar);
  add_model<"processes">(registrar);
  add_model<"asio">(registrar);
  add_model<"asio_mt">(registrar);
  add_model<"libuv">(registrar);

  const std::string_view workload = Workload::name;
  registrar.server(workload, "corio", serve_corio);
  registrar.server(workload, "corio_mt", serve_corio_mt, {"threads"});
  registrar.server(workload, "threads", serve_threads);
  registrar.server(workload, "thread_pool", serve_thread_pool, {"threads"});
  registrar.server(workload, "processes", serve_processes, {"workers"});
  registrar.server(workload, "asio", serve_asio);
  registrar.server(workload, "asio_mt", serve_asio_mt, {"threads"});
  registrar.server(workload, "libuv", serve_libuv);
}

}  // namespace workloads::io::tcp_echo
