// Registers io/http_plaintext's rows and servers (workloads/list.hpp names this folder): each
// model is a server (servers.hpp, one file per model) plus the one benchmark function that
// starts and loads it (load_run.hpp): with the suite's generator (row <model>) and, when wrk is
// installed, with wrk (row wrk_<model>). nginx, when installed, is one more server, and so is
// each Python model's script (py_asyncio, py_uvloop, py_threads, py_processes) and each Go
// and tokio model's program (go.go, tokio.rs here: go, go_mt, tokio, tokio_mt).
#include <string>
#include <tuple>

#include "harness/registrar.hpp"
#include "workloads/common/server_models.hpp"
#include "workloads/io/http_plaintext/load_run.hpp"
#include "workloads/io/http_plaintext/params.hpp"
#include "workloads/io/http_plaintext/servers.hpp"

namespace workloads::io::http_plaintext {
namespace {

// One row per server S loaded by L: named S with the suite's generator, wrk_S with wrk.
template <Loader L, common::ServerName... S>
void add_rows(harness::Registrar& registrar) {
  const std::string prefix = L == Loader::wrk ? "wrk_" : "";
  (registrar.model<Workload>(prefix + std::string(S.view()), measure_row<S, L>), ...);
}

// The models' servers (servers.hpp), the Python models' (py_*.py here, run by python3 as
// outside servers), the Go and tokio models' (go.go and tokio.rs here, built into programs
// run as outside servers: go and tokio on one thread, go_mt and tokio_mt on every core), then
// nginx when installed, for one loader.
template <Loader L>
void add_loader_rows(harness::Registrar& registrar, bool nginx) {
  add_rows<L, "corio", "corio_mt", "threads", "thread_pool", "processes", "asio", "asio_mt",
           "libuv">(registrar);
  add_rows<L, "py_asyncio", "py_uvloop", "py_threads", "py_processes">(registrar);
  add_rows<L, "go", "go_mt", "tokio", "tokio_mt">(registrar);
  if (nginx) add_rows<L, "nginx">(registrar);
}

void register_rows(harness::Registrar& registrar) {
  const Tools& tools = Tools::installed();
  const bool wrk = !tools.wrk.empty();
  const bool nginx = !tools.nginx.empty();
  for (const auto& [found, tool, package] :
       {std::tuple{wrk, "wrk", "wrk"}, std::tuple{nginx, "nginx", "nginx-light"}}) {
    if (found) continue;
    registrar.note(Workload::name, std::string(tool) + " not found: io/http_plaintext " + tool +
                                       " rows skipped (apt-get install " + package +
                                       ", or scripts/install_deps.sh --with-references)");
  }

  add_loader_rows<Loader::generator>(registrar, nginx);
  if (wrk) add_loader_rows<Loader::wrk>(registrar, nginx);
}

}  // namespace

void register_workload(harness::Registrar& registrar) {
  if (registrar.registers_benchmarks()) register_rows(registrar);

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

}  // namespace workloads::io::http_plaintext
