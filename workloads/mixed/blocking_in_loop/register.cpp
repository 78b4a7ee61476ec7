// Registers mixed/blocking_in_loop's models with the harness (workloads/registry.cpp calls this).
// Every model's benchmark runs the same load_server against that model's server.
#include "harness/net/server_registry.hpp"
#include "harness/workload.hpp"
#include "workloads/mixed/blocking_in_loop/params.hpp"
#include "workloads/mixed/blocking_in_loop/servers.hpp"
#include "workloads/mixed/blocking_in_loop/work.hpp"

namespace workloads {

void register_mixed_blocking_in_loop(harness::Profile profile) {
  namespace bil = workloads::mixed::blocking_in_loop;
  using bil::Params;
  // corio's pool variant is the corio_mt idea (a ThreadPool beside the loop), kept under model
  // corio so that plots/corio_plots/blocking_cdf.py draws it as corio's third line style.
  harness::register_model<bil::CorioWorkload>(
      "corio", [](const Params& params) { return bil::load_server("corio", params); }, profile);
  harness::register_model<bil::Workload>(
      "asio", [](const Params& params) { return bil::load_server("asio", params); }, profile);
  harness::register_model<bil::Workload>(
      "libuv", [](const Params& params) { return bil::load_server("libuv", params); }, profile);
}

void register_mixed_blocking_in_loop_servers() {
  namespace bil = workloads::mixed::blocking_in_loop;
  for (const auto& [model, serve] :
       {std::pair{"corio", &bil::serve_corio}, std::pair{"asio", &bil::serve_asio},
        std::pair{"libuv", &bil::serve_libuv}}) {
    harness::register_server(std::string(bil::kWorkloadName), model, serve,
                             bil::server_param_names());
  }
}

}  // namespace workloads
