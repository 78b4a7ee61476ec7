// Registers io/http_plaintext's rows with the harness (workloads/registry.cpp calls this):
// each model is a server (servers.hpp, one file per model) plus the one benchmark function
// that starts and loads it (load_run.hpp): with the suite's generator (row <model>) and, when
// wrk is installed, with wrk (row wrk_<model>). nginx, when installed, is one more server.
#include <iostream>
#include <string>

#include "harness/net/server_registry.hpp"
#include "harness/workload.hpp"
#include "workloads/io/http_plaintext/load_run.hpp"
#include "workloads/io/http_plaintext/params.hpp"
#include "workloads/io/http_plaintext/servers.hpp"

namespace workloads {
namespace {

namespace plaintext = io::http_plaintext;
using plaintext::Loader;

template <plaintext::ServerName S>
void add_generator_row(harness::Profile profile) {
  harness::register_model<plaintext::Workload>(
      S.view(), plaintext::measure_row<S, Loader::generator>, profile);
}

template <plaintext::ServerName S>
void add_wrk_row(harness::Profile profile) {
  harness::register_model<plaintext::Workload>("wrk_" + std::string(S.view()),
                                               plaintext::measure_row<S, Loader::wrk>, profile);
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

}  // namespace

void register_io_http_plaintext(harness::Profile profile) {
  const plaintext::Tools& tools = plaintext::Tools::installed();
  const bool wrk = !tools.wrk.empty();
  const bool nginx = !tools.nginx.empty();
  if (!wrk) note_missing("wrk", "wrk");
  if (!nginx) note_missing("nginx", "nginx");

  add_generator_row<"corio">(profile);
  add_generator_row<"corio_mt">(profile);
  add_generator_row<"threads">(profile);
  add_generator_row<"thread_pool">(profile);
  add_generator_row<"processes">(profile);
  add_generator_row<"asio">(profile);
  add_generator_row<"asio_mt">(profile);
  add_generator_row<"libuv">(profile);
  if (nginx) add_generator_row<"nginx">(profile);
  if (wrk) {
    add_wrk_row<"corio">(profile);
    add_wrk_row<"corio_mt">(profile);
    add_wrk_row<"threads">(profile);
    add_wrk_row<"thread_pool">(profile);
    add_wrk_row<"processes">(profile);
    add_wrk_row<"asio">(profile);
    add_wrk_row<"asio_mt">(profile);
    add_wrk_row<"libuv">(profile);
    if (nginx) add_wrk_row<"nginx">(profile);
  }
}

void register_io_http_plaintext_servers() {
  namespace plaintext = workloads::io::http_plaintext;
  const std::string workload(plaintext::Workload::name);
  harness::register_server(workload, "corio", plaintext::serve_corio);
  harness::register_server(workload, "corio_mt", plaintext::serve_corio_mt, {"threads"});
  harness::register_server(workload, "threads", plaintext::serve_threads);
  harness::register_server(workload, "thread_pool", plaintext::serve_thread_pool, {"threads"});
  harness::register_server(workload, "processes", plaintext::serve_processes, {"workers"});
  harness::register_server(workload, "asio", plaintext::serve_asio);
  harness::register_server(workload, "asio_mt", plaintext::serve_asio_mt, {"threads"});
  harness::register_server(workload, "libuv", plaintext::serve_libuv);
}

}  // namespace workloads
