// The servers of test_servers.hpp: plain blocking sockets, nothing a test would have to trust.
#include "harness/tests/test_servers.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>
#include <system_error>
#include <thread>
#include <unistd.h>

#include "harness/net/server_registry.hpp"

namespace harness::test {
namespace {

void echo_connection(int fd) {
  std::array<char, 16384> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n <= 0) break;
    if (::send(fd, buffer.data(), static_cast<std::size_t>(n), MSG_NOSIGNAL) != n) break;
  }
  ::close(fd);
}

[[noreturn]] void echo_forever(int listen_fd) {
  for (;;) {
    const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      throw std::system_error(errno, std::generic_category(), "accept4");
    }
    std::thread(echo_connection, fd).detach();  // the process ends by SIGTERM
  }
}

void serve_blocking(ServerContext& context) {
  context.ready();
  echo_forever(context.listen_fd);
}

void serve_with_param(ServerContext& context) {
  const auto delay = std::chrono::milliseconds(context.int_param("delay_ms", 0, 0, 1000));
  std::this_thread::sleep_for(delay);
  context.ready();
  echo_forever(context.listen_fd);
}

void serve_exit_after_ready(ServerContext& context) { context.ready(); }

void serve_stderr_line(ServerContext& context) {
  static constexpr char kLine[] = "test/echo: something worth reading\n";
  if (::write(STDERR_FILENO, kLine, sizeof kLine - 1) < 0) std::abort();
  context.ready();
  echo_forever(context.listen_fd);
}

void serve_sibling(ServerContext& context) {
  const int sibling = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(context.port);
  if (sibling < 0 || ::setsockopt(sibling, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0 ||
      ::bind(sibling, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(sibling, 16) != 0) {
    throw std::system_error(errno, std::generic_category(), "binding a SO_REUSEPORT sibling");
  }
  context.ready();
  std::thread(echo_forever, sibling).detach();
  echo_forever(context.listen_fd);
}

}  // namespace

void register_test_servers() {
  register_server("test/echo", "blocking", serve_blocking);
  register_server("test/echo", "with_param", serve_with_param, {"delay_ms"});
  register_server("test/echo", "exit_after_ready", serve_exit_after_ready);
  register_server("test/echo", "sibling", serve_sibling);
  register_server("test/echo", "stderr_line", serve_stderr_line);
}

}  // namespace harness::test
