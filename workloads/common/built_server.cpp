// The Go and tokio server models' start (see built_server.hpp).
#include "workloads/common/built_server.hpp"

#include <cstdint>
#include <stdexcept>
#include <unistd.h>

#include "harness/external_model.hpp"
#include "workloads/common/loopback_port.hpp"

namespace workloads::common {
namespace {

harness::ExternalCommand built_command(std::string_view workload, std::string_view model) {
  const harness::Threads threads =
      model.ends_with("_mt") ? harness::Threads::all : harness::Threads::one;
  if (model.starts_with("go")) return harness::go_model(workload, threads);
  return harness::tokio_model(workload, threads);
}

}  // namespace

harness::ServerProcess start_built_server(std::string_view workload, std::string_view model,
                                          const std::vector<std::string>& args) {
  if (!is_built_server(model)) {
    throw std::logic_error("start_built_server: " + std::string(model) +
                           " is not a Go or tokio server model");
  }
  // go_model's / tokio_model's argv: the program, then --threads=1 or --threads=0.
  const harness::ExternalCommand command = built_command(workload, model);
  if (::access(command.argv.front().c_str(), X_OK) != 0) {
    throw std::runtime_error(std::string(model) + " cannot run: " + command.argv.front() +
                             " is missing; it needs " + command.missing_hint);
  }
  const std::uint16_t port = free_loopback_port();
  std::vector<std::string> argv{command.argv.front(), "--port", std::to_string(port)};
  argv.insert(argv.end(), command.argv.begin() + 1, command.argv.end());
  argv.insert(argv.end(), args.begin(), args.end());
  return harness::ServerProcess::start_command(argv, port);
}

}  // namespace workloads::common
