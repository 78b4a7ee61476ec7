// echo_until_closed: see blocking_socket.hpp.
#include "workloads/io/tcp_echo/blocking_socket.hpp"

#include <array>
#include <cerrno>
#include <span>
#include <sys/socket.h>
#include <unistd.h>

#include "workloads/io/tcp_echo/params.hpp"

namespace workloads::io::tcp_echo {

void echo_until_closed(int fd) noexcept {
  std::array<char, kEchoBufferBytes> buffer;  // NOLINT(cppcoreguidelines-pro-type-member-init)
  for (;;) {
    const ssize_t received = ::recv(fd, buffer.data(), buffer.size(), 0);
    if (received < 0 && errno == EINTR) continue;
    if (received <= 0) break;  // end of stream, or the peer reset the connection
    if (!send_all(fd, std::span(buffer.data(), static_cast<std::size_t>(received)))) break;
  }
  ::close(fd);
}

}  // namespace workloads::io::tcp_echo
