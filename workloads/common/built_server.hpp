#pragma once
// The server workloads' Go and tokio models (go, go_mt, tokio, tokio_mt of io/tcp_echo,
// io/http_plaintext, mixed/blocking_in_loop): a program the build made from the workload's
// go.go or tokio.rs (workloads/external_models.cmake), run as its own process, the way nginx
// and the Python models' scripts are run (an outside server started by
// harness::ServerProcess::start_command), so that the load, the checks of every answer and
// the server's figures (peak RSS over its process tree, context switches) are the same as for
// the C++ models' servers.
//
//   is_built_server(model)      the model is go, go_mt, tokio or tokio_mt
//   start_built_server(w, m, args)
//                               runs
//                                 <build>/workloads/<w>/go|tokio --port PORT --threads=N args...
//                               on a free loopback port (--threads=1 for go and tokio: one
//                               thread, GOMAXPROCS=1 or tokio's current_thread runtime; 0 for
//                               the _mt rows: every core) and waits until it accepts
//                               connections (10 s); throws std::runtime_error when it cannot
//                               start: a missing program is one line naming the Debian
//                               packages that build it (golang-go; cargo, rustc,
//                               librust-tokio-dev, librust-serde-json-dev).
//
// The program's path, its --threads flag and the packages come from harness::go_model and
// harness::tokio_model (harness/external_model.hpp): a server speaks no JSON protocol, it
// listens; the program parses its own flags.

#include <string>
#include <string_view>
#include <vector>

#include "harness/net/server_process.hpp"

namespace workloads::common {

inline bool is_built_server(std::string_view model) {
  return model == "go" || model == "go_mt" || model == "tokio" || model == "tokio_mt";
}

harness::ServerProcess start_built_server(std::string_view workload, std::string_view model,
                                          const std::vector<std::string>& args);

}  // namespace workloads::common
