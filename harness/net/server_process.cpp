// Placeholder until ServerProcess lands (see server_process.hpp).
#include "harness/net/server_process.hpp"

#include <stdexcept>
#include <utility>

namespace harness {

ServerProcess ServerProcess::start_serve(
    const std::string& /*workload*/, const std::string& /*model*/,
    const std::vector<std::pair<std::string, std::string>>& /*params*/) {
  throw std::runtime_error("ServerProcess is not implemented yet");
}
ServerProcess ServerProcess::start_command(const std::vector<std::string>& /*argv*/,
                                           std::uint16_t /*port*/) {
  throw std::runtime_error("ServerProcess is not implemented yet");
}
ServerProcess::ServerProcess(ServerProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), port_(other.port_) {}
ServerProcess& ServerProcess::operator=(ServerProcess&& other) noexcept {
  pid_ = std::exchange(other.pid_, -1);
  port_ = other.port_;
  return *this;
}
ServerProcess::~ServerProcess() = default;
ServerUsage ServerProcess::stop() { return {}; }

}  // namespace harness
