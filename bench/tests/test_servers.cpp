// The servers of test_servers.hpp: plain blocking sockets, nothing a test would have to trust.
#include "bench/tests/test_servers.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <vector>

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

// Writes to every page of `mib` MiB, kept for the life of the process: resident memory the
// server itself touched.
void touch_memory(std::int64_t mib) {
  const auto bytes = static_cast<std::size_t>(mib) << 20;
  if (bytes == 0) return;
  static std::vector<char*> kept;  // never freed: the memory stays resident until the end
  auto* memory = new char[bytes];
  kept.push_back(memory);
  volatile char* const pages = memory;
  for (std::size_t i = 0; i < bytes; i += 4096) pages[i] = 1;
}

void serve_touch_memory(ServerContext& context) {
  touch_memory(context.int_param("mib", 64, 0, 1024));
  context.ready();
  echo_forever(context.listen_fd);
}

// Prefork: `workers` children, each touching `mib` MiB of its own, then waiting for the
// end; ready once every worker has touched its memory (a byte each on a pipe). The workers
// die with the server (PR_SET_PDEATHSIG) when SIGTERM ends it.
void serve_prefork_memory(ServerContext& context) {
  const auto workers = context.int_param("workers", 2, 1, 64);
  const auto mib = context.int_param("mib", 32, 0, 1024);
  std::array<int, 2> touched{-1, -1};
  if (::pipe2(touched.data(), O_CLOEXEC) != 0) {
    throw std::system_error(errno, std::generic_category(), "pipe2");
  }
  const pid_t parent = ::getpid();
  for (std::int64_t i = 0; i < workers; ++i) {
    const pid_t pid = ::fork();
    if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (pid == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(0);
      touch_memory(mib);
      const char done = 1;
      if (::write(touched[1], &done, 1) != 1) ::_exit(3);
      for (;;) ::pause();
    }
  }
  for (std::int64_t i = 0; i < workers; ++i) {
    char done = 0;
    if (::read(touched[0], &done, 1) != 1) throw std::runtime_error("a worker died");
  }
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
  register_server("test/echo", "touch_memory", serve_touch_memory, {"mib"});
  register_server("test/echo", "prefork_memory", serve_prefork_memory, {"workers", "mib"});
}

}  // namespace harness::test
