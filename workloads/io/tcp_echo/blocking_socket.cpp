// Blocking socket helpers for io/tcp_echo (see blocking_socket.hpp).
#include "workloads/io/tcp_echo/blocking_socket.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/resource.h>
#include <sys/socket.h>
#include <system_error>
#include <thread>
#include <unistd.h>

#include "harness/bad_input.hpp"
#include "workloads/io/tcp_echo/params.hpp"

namespace workloads::io::tcp_echo {

void raise_fd_limit(std::int64_t needed) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    throw std::system_error(errno, std::generic_category(), "getrlimit(RLIMIT_NOFILE)");
  }
  if (limit.rlim_cur != limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
      throw std::system_error(errno, std::generic_category(), "setrlimit(RLIMIT_NOFILE)");
    }
  }
  if (limit.rlim_max != RLIM_INFINITY && static_cast<std::int64_t>(limit.rlim_max) < needed) {
    throw harness::BadInput("corio-bench: io/tcp_echo needs " + std::to_string(needed) +
                            " open descriptors but the hard limit (ulimit -Hn) is " +
                            std::to_string(limit.rlim_max) + "; raise it or use fewer connections");
  }
}

void set_nodelay(int fd) noexcept {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int accept_blocking(int listen_fd) {
  auto backoff = std::chrono::milliseconds(1);
  for (;;) {
    const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) {
      set_nodelay(fd);
      return fd;
    }
    switch (errno) {
      case EINTR:
      case ECONNABORTED:  // the client gave up while queued: take the next one
        continue;
      case EMFILE:
      case ENFILE:
      case ENOBUFS:
      case ENOMEM:
        std::this_thread::sleep_for(backoff);
        backoff = std::min(backoff * 2, std::chrono::milliseconds(100));
        continue;
      default:
        throw std::system_error(errno, std::generic_category(), "tcp_echo: accept");
    }
  }
}

bool write_all_blocking(int fd, std::span<const char> data) noexcept {
  while (!data.empty()) {
    const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data = data.subspan(static_cast<std::size_t>(sent));
  }
  return true;
}

void echo_until_closed(int fd) noexcept {
  std::array<char, kEchoBufferBytes> buffer;  // NOLINT(cppcoreguidelines-pro-type-member-init)
  for (;;) {
    const ssize_t received = ::recv(fd, buffer.data(), buffer.size(), 0);
    if (received < 0 && errno == EINTR) continue;
    if (received <= 0) break;  // end of stream, or the peer reset the connection
    if (!write_all_blocking(fd, std::span(buffer.data(), static_cast<std::size_t>(received)))) {
      break;
    }
  }
  ::close(fd);
}

}  // namespace workloads::io::tcp_echo
