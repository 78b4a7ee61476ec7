// BlockingConnection: plain socket(), connect(), send() and recv() calls, nothing else.
#include "workloads/common/fanout_blocking_connection.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <span>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

namespace workloads::common::fanout {

std::string describe(const BlockingFailure& failure) {
  std::string text(failure.what);
  if (!failure.detail.empty()) text += ": " + std::string(failure.detail);
  if (failure.error_number != 0) text += std::string(": ") + std::strerror(failure.error_number);
  return text;
}

bool BlockingConnection::fail(BlockingFailure& failure, std::string_view what,
                              std::string_view detail, int error_number) noexcept {
  failure = BlockingFailure{.what = what, .detail = detail, .error_number = error_number};
  close();
  return false;
}

bool BlockingConnection::connect(std::uint16_t port, BlockingFailure& failure) noexcept {
  close();
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return fail(failure, "socket", {}, errno);
  // One small request per round trip: send it now, as every model's socket does.
  const int on = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int status = 0;
  do {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
    status = ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  } while (status != 0 && errno == EINTR);
  if (status != 0) return fail(failure, "connect", {}, errno);
  reader_.reset();
  return true;
}

bool BlockingConnection::exchange(std::string_view request, BlockingFailure& failure) noexcept {
  if (fd_ < 0) return fail(failure, "exchange on a closed connection", {}, 0);
  reader_.next();
  std::size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t count = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (count < 0) {
      if (errno == EINTR) continue;
      return fail(failure, "send", {}, errno);
    }
    sent += static_cast<std::size_t>(count);
  }
  for (;;) {
    const std::span<char> room = reader_.room();
    const ssize_t count = ::recv(fd_, room.data(), room.size(), 0);
    if (count < 0) {
      if (errno == EINTR) continue;
      return fail(failure, "recv", {}, errno);
    }
    if (count == 0) {
      return fail(failure, "the server closed the connection before a whole response", {}, 0);
    }
    switch (reader_.commit(static_cast<std::size_t>(count))) {
      case ResponseReader::State::complete:
        if (reader_.closing()) ::close(std::exchange(fd_, -1));  // response() stays valid
        return true;
      case ResponseReader::State::malformed:
        return fail(failure, "malformed response", reader_.error(), 0);
      case ResponseReader::State::need_more:
        break;
    }
  }
}

void BlockingConnection::close() noexcept {
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
}

}  // namespace workloads::common::fanout
