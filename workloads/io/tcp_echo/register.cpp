// Registers io/tcp_echo's models with the harness (workloads/registry.cpp calls this): each
// model is a server (servers.hpp, one file per model) plus the one benchmark function that
// starts it and loads it (load_run.hpp).
#include <string>

#include "harness/net/server_registry.hpp"
#include "harness/workload.hpp"
#include "workloads/io/tcp_echo/load_run.hpp"
#include "workloads/io/tcp_echo/params.hpp"
#include "workloads/io/tcp_echo/servers.hpp"

namespace workloads {
namespace {

namespace echo = io::tcp_echo;

template <echo::ModelName Model>
void add_model(harness::Profile profile) {
  harness::register_model<echo::Workload>(Model.view(), echo::measure_model<Model>, profile);
}

}  // namespace

void register_io_tcp_echo(harness::Profile profile) {
  add_model<"corio">(profile);
  add_model<"corio_mt">(profile);
  add_model<"threads">(profile);
  add_model<"thread_pool">(profile);
  add_model<"processes">(profile);
  add_model<"asio">(profile);
  add_model<"asio_mt">(profile);
  add_model<"libuv">(profile);
}

void register_io_tcp_echo_servers() {
  const std::string workload(echo::Workload::name);
  harness::register_server(workload, "corio", echo::serve_corio);
  harness::register_server(workload, "corio_mt", echo::serve_corio_mt, {"threads"});
  harness::register_server(workload, "threads", echo::serve_threads);
  harness::register_server(workload, "thread_pool", echo::serve_thread_pool, {"threads"});
  harness::register_server(workload, "processes", echo::serve_processes, {"workers"});
  harness::register_server(workload, "asio", echo::serve_asio);
  harness::register_server(workload, "asio_mt", echo::serve_asio_mt, {"threads"});
  harness::register_server(workload, "libuv", echo::serve_libuv);
}

}  // namespace workloads
