// Registers io/http_plaintext's rows and servers (workloads/list.hpp names this folder): each
// model is a server (servers.hpp, one file per model) plus the one benchmark function that
// starts and loads it (load_run.hpp): with the suite's generator (row <model>) and, when wrk is
// installed, with wrk (row wrk_<model>). nginx, when installed, is one more server.
#include <iostream>
#include <string>
#include <string_view>

#include "harness/registrar.hpp"
#include "workloads/common/server_models.hpp"
#include "workloads/io/http_plaintext/load_run.hpp"
#include "workloads/io/http_plaintext/params.hpp"
#include "workloads/io/http_plaintext/servers.hpp"

namespace workloads::io::http_plaintext {
namespace {

template <common::ServerName S>
void add_generator_row(harness::Registrar& registrar) {
  registrar.model<Workload>(S.view(), measure_row<S, Loader::generator>);
}

template <common::ServerName S>
void add_wrk_row(harness::Registrar& registrar) {
  registrar.model<Workload>("wrk_" + std::string(S.view()), measure_row<S, Loader::wrk>);
}

// Registration may run more than once per process (--list, then the run); say it once.
void note_missing(const char* tool, const char* rows) {
  static bool said_wrk = false;
  static bool said_nginx = false;
  bool& said = std::string_view(tool) == "wrk" ? said_wrk : said_nginx;
  if (said) return;
  said = true;
  std::cerr << "corio-bench: " << tool << " not found: io/http_plaintext " << rows
            << " rows skipped\n";
}

void register_rows(harness::Registrar& registrar) {
  const Tools& tools = Tools::installed();
  const bool wrk = !tools.wrk.empty();
  const bool nginx = !tools.nginx.empty();
  if (!wrk) note_missing("wrk", "wrk");
  if (!nginx) note_missing("nginx", "nginx");

  add_generator_row<"corio">(registrar);
  add_generator_row<"corio_mt">(registrar);
  add_generator_row<"threads">(registrar);
  add_generator_row<"thread_pool">(registrar);
  add_generator_row<"processes">(registrar);
  add_generator_row<"asio">(registrar);
  add_generator_row<"asio_mt">(registrar);
  add_generator_row<"libuv">(registrar);
  if (nginx) add_generator_row<"nginx">(registrar);
  if (wrk) {
    add_wrk_row<"corio">(registrar);
    add_wrk_row<"corio_mt">(registrar);
    add_wrk_row<"threads">(registrar);
    add_wrk_row<"thread_pool">(registrar);
    add_wrk_row<"processes">(registrar);
    add_wrk_row<"asio">(registrar);
    add_wrk_row<"asio_mt">(registrar);
    add_wrk_row<"libuv">(registrar);
    if (nginx) add_wrk_row<"nginx">(registrar);
  }
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
