#pragma once
// The servers `corio-bench serve` can run: one function per (workload, model), registered by
// each workload folder's register.cpp through harness::Registrar (harness/registrar.hpp).
//
//   harness::ServerContext     what a server function gets: a listening socket and parameters
//   harness::ServerFn          void(ServerContext&): serves until the process is terminated
//   harness::register_server   (workload, model, fn, accepted parameter names)
//   harness::find_server       lookup for `serve`; lists what exists for error messages
//
// The contract of a server function:
//   - ctx.listen_fd is bound and listening (SO_REUSEADDR and SO_REUSEPORT set, blocking mode,
//     close-on-exec); the function owns it. Multi-loop models may bind more sockets to
//     ctx.host:ctx.port with SO_REUSEPORT, but must keep accepting on listen_fd too (the
//     kernel spreads connections over every socket in the group).
//   - Parameters come from `--param key=value` (only the names given to register_server are
//     accepted; the harness checks that). Read them with ctx.int_param / ctx.string_param,
//     which throw harness::BadInput on a malformed value; throw BadInput yourself for an
//     impossible combination. Do all of that before calling ctx.ready().
//   - Call ctx.ready() exactly once, when the server accepts connections: it prints the
//     "corio-bench: serving WORKLOAD (MODEL) on HOST:PORT" line the harness waits for.
//   - Then serve until the process ends: the harness stops servers with SIGTERM, a user with
//     SIGINT too; `serve` handles both with _exit(0) (bench/serve.hpp), so the process ends
//     with status 0 within milliseconds and the kernel closes every socket. A model with child
//     processes makes them die with it (PR_SET_PDEATHSIG, or blocking both signals and waiting
//     for them to kill and reap the children so that their usage is counted, as
//     common::supervise_workers does). Returning from the function ends the process (exit 0);
//     an exception ends it with its message on stderr (BadInput: exit 2, others: exit 3).

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace harness {

class ServerContext {
 public:
  int listen_fd = -1;
  std::string workload;  // "io/tcp_echo"
  std::string model;
  std::string host;
  std::uint16_t port = 0;  // the bound port (never 0 here)
  std::map<std::string, std::string> params;

  // The parameter's value, or `fallback` when absent; BadInput when not an integer in
  // [min, max].
  [[nodiscard]] std::int64_t int_param(const std::string& name, std::int64_t fallback,
                                       std::int64_t min, std::int64_t max) const;
  [[nodiscard]] std::string string_param(const std::string& name,
                                         const std::string& fallback) const;
  // Prints the serving line (once) and flushes stdout.
  void ready();

 private:
  bool ready_ = false;
};

using ServerFn = void (*)(ServerContext& context);

struct ServerEntry {
  std::string workload;  // "io/tcp_echo"
  std::string model;
  ServerFn serve = nullptr;
  std::vector<std::string> param_names;
};

void register_server(std::string workload, std::string model, ServerFn serve,
                     std::vector<std::string> param_names = {});
// `workload` may omit its group ("tcp_echo" finds "io/tcp_echo"). nullptr when unknown.
const ServerEntry* find_server(const std::string& workload, const std::string& model);
const std::vector<ServerEntry>& all_servers();

}  // namespace harness
