#pragma once
// The servers the client workloads (io/http_fanout, limit/concurrency_limit) send their
// requests to: each runs in a child process (harness::ServerProcess::start_serve), so that the
// server never shares a process (or its CPU accounting, or its RSS) with the client under
// test.
//
//   shared_server_port(workload, model, params, started)
//       the port of the server registered as (workload, model) with these --param values;
//       started on the first call for that combination and kept until this process exits,
//       so that starting it is paid once per process, not once per run; *started (when
//       given) tells whether this call started it. A workload starts its server in its
//       untimed setup() (harness/workload.hpp) with this same call, so that no timed call
//       pays for the start. The descriptor limit is raised first
//       (harness::raise_descriptor_limit), so that the server inherits the raised limit
//
// Throws std::runtime_error when the server cannot be started, or when a server started
// earlier has since died (its pid and fate in the text). Benchmark thread only.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace workloads::common::fanout {

using ServerParams = std::vector<std::pair<std::string, std::string>>;

std::uint16_t shared_server_port(const std::string& workload, const std::string& model,
                                 const ServerParams& params, bool* started = nullptr);

}  // namespace workloads::common::fanout
