// The Python server models' start (see python_server.hpp).
#include "workloads/common/python_server.hpp"

#include <cerrno>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>
#include <system_error>
#include <unistd.h>

#include "harness/external_model.hpp"

namespace workloads::common {
namespace {

// A loopback port nobody listens on now: the script binds its own socket, as nginx does
// (a tiny race with another program binding port 0 in between remains).
std::uint16_t free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    const int error = errno;
    ::close(fd);
    throw std::system_error(error, std::generic_category(), "bind 127.0.0.1:0");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace

harness::ServerProcess start_python_server(std::string_view workload, std::string_view model,
                                           const std::vector<std::string>& args) {
  // python_model's argv: python3, -s, run_model.py, the model's script.
  const harness::ExternalCommand command = harness::python_model(workload, model);
  if (command.argv.size() != 4) {
    throw std::logic_error("start_python_server: harness::python_model's argv changed shape");
  }
  if (::access(command.argv.front().c_str(), X_OK) != 0) {
    throw std::runtime_error(std::string(model) + " cannot run: " + command.argv.front() +
                             " is missing; it needs " + command.missing_hint);
  }
  const std::uint16_t port = free_loopback_port();
  std::vector<std::string> argv{command.argv[0], command.argv[1], command.argv[3], "--port",
                                std::to_string(port)};
  argv.insert(argv.end(), args.begin(), args.end());
  return harness::ServerProcess::start_command(argv, port);
}

}  // namespace workloads::common
