// Blocking-socket helpers: see blocking_io.hpp.
#include "workloads/io/http_plaintext/blocking_io.hpp"

#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace workloads::io::http_plaintext {

void set_no_delay(int fd) noexcept {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

bool send_all(int fd, std::span<const char> data) noexcept {
  while (!data.empty()) {
    const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent >= 0) {
      data = data.subspan(static_cast<std::size_t>(sent));
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      pollfd waiting{.fd = fd, .events = POLLOUT, .revents = 0};
      ::poll(&waiting, 1, -1);
    } else if (errno != EINTR) {
      return false;
    }
  }
  return true;
}

void serve_blocking(int fd) {
  HttpSession session;
  while (!session.closing()) {
    const std::span<char> room = session.receive_room();
    const ssize_t received = ::read(fd, room.data(), room.size());
    if (received < 0 && errno == EINTR) continue;
    if (received <= 0) return;  // end of stream or a reset
    session.received(static_cast<std::size_t>(received));
    session.answer();
    if (!send_all(fd, session.unsent())) return;
    session.sent(session.unsent().size());
  }
}

}  // namespace workloads::io::http_plaintext
