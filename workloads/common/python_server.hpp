#pragma once
// The server workloads' Python models (py_asyncio, py_uvloop, py_threads, py_processes of
// io/tcp_echo, io/http_plaintext, mixed/blocking_in_loop): a script in the workload's folder,
// run by Debian's python3 as its own process, the way nginx is run (an outside server started
// by harness::ServerProcess::start_command), so that the load, the checks of every answer and
// the server's figures (peak RSS over its process tree, context switches) are the same as for
// the C++ models' servers.
//
//   is_python_server(model)          the model's name starts with "py_"
//   start_python_server(w, m, args, forks)
//                                    runs
//                                      /usr/bin/python3 -s
//                                          <source>/workloads/common/python/run_model.py
//                                          <source>/workloads/<w>/<m>.py
//                                          --port PORT args... [--ready-file PATH]
//                                    on a free loopback port and waits until it accepts
//                                    connections (10 s); throws std::runtime_error with the
//                                    script's own words when it cannot start (a missing
//                                    python3-uvloop is one line naming the package).
//                                    With `forks` (py_processes), it also passes
//                                    --ready-file and waits (up to 120 s) for the script to
//                                    create that file once its workers are forked: forking
//                                    1,024 interpreters takes longer than start_command's 10 s
//                                    on a small VM, and the load must not start before.
//
// The command is harness::python_model's (the CORIO_SOURCE_DIR the harness is built with) plus
// the server's arguments: run_model.py passes them on to the script, which listens rather than
// speaking the JSON protocol. run_model.py puts the script's folder and its own
// (workloads/common/python) on sys.path, so py_uvloop.py imports py_asyncio.py, and the
// scripts import what every server shares from workloads/common/python: server_model.py (the
// descriptor limit, the listener, the accept back-off, the thread and asyncio servers, uvloop)
// and prefork.py (py_processes).

#include <string>
#include <string_view>
#include <vector>

#include "harness/net/server_process.hpp"

namespace workloads::common {

inline bool is_python_server(std::string_view model) { return model.starts_with("py_"); }

harness::ServerProcess start_python_server(std::string_view workload, std::string_view model,
                                           const std::vector<std::string>& args,
                                           bool forks = false);

}  // namespace workloads::common
