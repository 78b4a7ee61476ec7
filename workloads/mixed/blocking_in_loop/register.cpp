// Registers mixed/blocking_in_loop's models and servers (workloads/list.hpp names this folder).
// Every model's benchmark runs the same load_server against that model's server.
#include "harness/registrar.hpp"
#include "workloads/mixed/blocking_in_loop/params.hpp"
#include "workloads/mixed/blocking_in_loop/servers.hpp"
#include "workloads/mixed/blocking_in_loop/work.hpp"

namespace workloads::mixed::blocking_in_loop {

void register_workload(harness::Registrar& registrar) {
  // corio's pool variant is the corio_mt idea (a ThreadPool beside the loop), kept under model
  // corio so that plots/corio_plots/blocking_cdf.py draws it as corio's third line style.
  registrar.model<CorioWorkload>("corio",
                                 [](const Params& params) { return load_server("corio", params); });
  registrar.model<Workload>("asio",
                            [](const Params& params) { return load_server("asio", params); });
  registrar.model<Workload>("libuv",
                            [](const Params& params) { return load_server("libuv", params); });
  // The Python models' servers are scripts here (py_asyncio.py, py_uvloop.py), started by
  // load_server as outside servers; inline and offload (asyncio.to_thread), like asio's.
  registrar.model<Workload>("py_asyncio",
                            [](const Params& params) { return load_server("py_asyncio", params); });
  registrar.model<Workload>("py_uvloop",
                            [](const Params& params) { return load_server("py_uvloop", params); });
  // The Go and tokio models' servers are go.go and tokio.rs here, built into programs and
  // started by load_server as outside servers. tokio: current_thread runtime, inline and
  // offload (spawn_blocking). go (GOMAXPROCS=1) and go_mt (every core): inline only, since Go
  // hands work to other threads through its scheduler, not through the program (go.go).
  registrar.model<Workload>("tokio",
                            [](const Params& params) { return load_server("tokio", params); });
  registrar.model<InlineWorkload>("go",
                                  [](const Params& params) { return load_server("go", params); });
  registrar.model<InlineWorkload>(
      "go_mt", [](const Params& params) { return load_server("go_mt", params); });

  registrar.server(kWorkloadName, "corio", serve_corio, server_param_names());
  registrar.server(kWorkloadName, "asio", serve_asio, server_param_names());
  registrar.server(kWorkloadName, "libuv", serve_libuv, server_param_names());
}

}  // namespace workloads::mixed::blocking_in_loop
