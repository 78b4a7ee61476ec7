// serve_blocking: see blocking_io.hpp.
#include "workloads/io/http_plaintext/blocking_io.hpp"

#include <cerrno>
#include <unistd.h>

namespace workloads::io::http_plaintext {

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
