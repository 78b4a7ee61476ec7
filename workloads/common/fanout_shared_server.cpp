// Servers started on first use and kept in a table until exit (see fanout_shared_server.hpp). The
// table is a function-local static: its destructor stops every server (SIGTERM, then reaping)
// when corio-bench exits normally, and PR_SET_PDEATHSIG kills them when it does not.
#include "workloads/common/fanout_shared_server.hpp"

#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>
#include <sys/wait.h>

#include "harness/fd_limit.hpp"
#include "harness/net/server_process.hpp"

namespace workloads::common::fanout {
namespace {

std::string key_of(const std::string& workload, const std::string& model,
                   const ServerParams& params) {
  std::string key = workload;
  key.append(" (").append(model).append(")");
  for (const auto& [name, value] : params) key.append(" ").append(name).append("=").append(value);
  return key;
}

// Looks at the child's state without reaping it (WNOWAIT): ServerProcess::stop still reaps.
std::string death_of(pid_t pid) {
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
      info.si_pid == 0) {
    return "";
  }
  if (info.si_code == CLD_EXITED) return "exited with status " + std::to_string(info.si_status);
  return std::string("was killed by signal ") + std::to_string(info.si_status) + " (" +
         strsignal(info.si_status) + ")";
}

}  // namespace

std::uint16_t shared_server_port(const std::string& workload, const std::string& model,
                                 const ServerParams& params, bool* started) {
  static std::map<std::string, harness::ServerProcess> servers;
  harness::raise_descriptor_limit();  // before any server starts: the servers inherit it
  const std::string key = key_of(workload, model, params);
  auto found = servers.find(key);
  if (started != nullptr) *started = found == servers.end();
  if (found == servers.end()) {
    found =
        servers.emplace(key, harness::ServerProcess::start_serve(workload, model, params)).first;
  }
  if (std::string death = death_of(found->second.pid()); !death.empty()) {
    // This run fails; the next one starts a new server (the old one is reaped here).
    const std::string text =
        "the server " + key + ", pid " + std::to_string(found->second.pid()) + ", " + death;
    servers.erase(found);
    throw std::runtime_error(text);
  }
  return found->second.port();
}

}  // namespace workloads::common::fanout
