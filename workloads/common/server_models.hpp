#pragma once
// What the server workloads (io/tcp_echo, io/http_plaintext) share around their models: each
// model is a server in its own process (`corio-bench serve WORKLOAD --model M`), started,
// loaded and stopped by one benchmark function per workload, and reported as a
// harness::ServerLoadResult.
//
//   ServerName<N>          a model's (or server's) name as a template argument, so that one
//                          benchmark function is instantiated per model
//   ModelServers           the eight models' server functions, corio ... libuv
//   register_servers       registers them under a workload, with the --param each accepts
//   server_params(m, C)    the --param values model m's server gets for C client connections
//   ServerLoadChecks<P>    check, iterations, items, counters of such a workload
//
// Models with a worker count take it as a parameter: corio_mt, thread_pool and asio_mt take
// `threads` (default: one per core), processes takes `workers` (one worker serves one
// connection at a time, so the workload passes C).

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/net/server_load_result.hpp"
#include "harness/net/server_registry.hpp"
#include "harness/registrar.hpp"
#include "harness/workload.hpp"

namespace workloads::common {

// register_model takes a plain function pointer, which cannot carry the name at run time.
template <std::size_t N>
struct ServerName {
  constexpr ServerName(const char (&text)[N]) {  // NOLINT(google-explicit-constructor)
    for (std::size_t i = 0; i < N; ++i) chars[i] = text[i];
  }
  [[nodiscard]] constexpr std::string_view view() const { return {chars, N - 1}; }
  char chars[N]{};
};

struct ModelServers {
  harness::ServerFn corio = nullptr;
  harness::ServerFn corio_mt = nullptr;
  harness::ServerFn threads = nullptr;
  harness::ServerFn thread_pool = nullptr;
  harness::ServerFn processes = nullptr;
  harness::ServerFn asio = nullptr;
  harness::ServerFn asio_mt = nullptr;
  harness::ServerFn libuv = nullptr;
};

inline void register_servers(harness::Registrar& registrar, std::string_view workload,
                             const ModelServers& servers) {
  registrar.server(workload, "corio", servers.corio);
  registrar.server(workload, "corio_mt", servers.corio_mt, {"threads"});
  registrar.server(workload, "threads", servers.threads);
  registrar.server(workload, "thread_pool", servers.thread_pool, {"threads"});
  registrar.server(workload, "processes", servers.processes, {"workers"});
  registrar.server(workload, "asio", servers.asio);
  registrar.server(workload, "asio_mt", servers.asio_mt, {"threads"});
  registrar.server(workload, "libuv", servers.libuv);
}

inline std::vector<std::pair<std::string, std::string>> server_params(std::string_view model,
                                                                      int connections) {
  // A prefork worker serves one connection at a time: one worker per client connection.
  if (model == "processes") return {{"workers", std::to_string(connections)}};
  return {};
}

// The Workload members that are the same for every server workload (harness/workload.hpp):
// a Workload derives from ServerLoadChecks<its Params> and adds name, points and label.
template <class Params>
struct ServerLoadChecks {
  using Result = harness::ServerLoadResult;

  static std::string check(const Params& /*params*/, const Result& result) {
    return result.failure();
  }

  // One load phase is one measurement (it starts and stops its own server); Google
  // Benchmark's repetitions give the spread.
  static int iterations(const Params& /*params*/, harness::Profile /*profile*/) { return 1; }

  // Throughput is requests_per_second over the measured phase: the run's own time also holds
  // the server's start, the warm-up and the stop.
  static double items(const Params& /*params*/) { return 0; }

  static void counters(const Params& /*params*/, const Result& result,
                       harness::Counters& counters) {
    result.set_counters(counters);
  }
};

}  // namespace workloads::common
