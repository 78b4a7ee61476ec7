// Linux sockets for corio::net: epoll registration, the system calls behind each operation,
// address resolution, accept's back-off.
#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <string>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <system_error>
#include <unistd.h>
#include <utility>

#include <corio/detail/io_op.hpp>
#include <corio/event_loop.hpp>
#include <corio/net/tcp.hpp>
#include <corio/sleep.hpp>
#include <corio/to_thread.hpp>

namespace corio::detail {

Socket::Socket(int fd) : fd_(fd) {
  on_events = &Socket::dispatch;
  try {
    // Edge-triggered: each arrival is reported once; the readable/writable flags remember it.
    current_loop().poller().add(fd_, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, *this);
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

Socket::~Socket() {
  if (reader != nullptr) reader->on_close();
  if (writer != nullptr) writer->on_close();
  current_loop().poller().remove(fd_);
  ::close(fd_);
}

void Socket::dispatch(PollEntry* entry, std::uint32_t events) noexcept {
  auto& self = static_cast<Socket&>(*entry);
  // Errors and hang-ups wake both directions: the next call reports what happened.
  if ((events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) self.peer_closed = true;
  if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) {
    self.readable = true;
    if (self.reader != nullptr) self.reader->on_ready();
  }
  if ((events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0) {
    self.writable = true;
    if (self.writer != nullptr) self.writer->on_ready();
  }
}

}  // namespace corio::detail

namespace corio::net {
namespace {

[[noreturn]] void throw_errno(int error, const std::string& what) {
  throw std::system_error(error, std::generic_category(), what);
}

void set_nodelay(int fd) {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

std::string describe(const std::string& host, std::uint16_t port) {
  return host + ":" + std::to_string(port);
}

// getaddrinfo for TCP; `numeric_only` refuses names (no DNS on the loop thread).
struct AddressList {
  addrinfo* head = nullptr;
  int status = 0;
  AddressList(const std::string& host, std::uint16_t port, bool numeric_only, bool passive) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags =
        (numeric_only ? AI_NUMERICHOST : 0) | (passive ? AI_PASSIVE : 0) | AI_NUMERICSERV;
    const std::string service = std::to_string(port);
    status = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &head);
  }
  AddressList(const AddressList&) = delete;
  AddressList& operator=(const AddressList&) = delete;
  AddressList(AddressList&& other) noexcept
      : head(std::exchange(other.head, nullptr)), status(other.status) {}
  ~AddressList() {
    if (head != nullptr) ::freeaddrinfo(head);
  }
};

[[noreturn]] void throw_resolve(int status, const std::string& what) {
  throw std::system_error(std::make_error_code(std::errc::host_unreachable),
                          what + ": cannot resolve (" + ::gai_strerror(status) + ")");
}

bool connect_attempt(detail::IoOp& op) noexcept;

class ConnectAwaiter : public detail::IoOp {
 public:
  explicit ConnectAwaiter(detail::Socket& socket) noexcept
      : IoOp(socket, Direction::write, &connect_attempt) {}
  // The error, if any, is left in `error`: connect() tries the next address.
  void await_resume() const { throw_if_cancelled(); }
};

// Runs once epoll reports the socket writable: SO_ERROR tells how the connect ended (EPOLLOUT
// can arrive before it finished only if it succeeded, so 0 there means connected).
bool connect_attempt(detail::IoOp& op) noexcept {
  auto& connect = static_cast<ConnectAwaiter&>(op);
  int error = 0;
  socklen_t length = sizeof error;
  if (::getsockopt(connect.socket().fd(), SOL_SOCKET, SO_ERROR, &error, &length) < 0) error = errno;
  connect.error = error;
  return true;
}

}  // namespace

IncompleteReadError::IncompleteReadError(std::size_t expected_bytes, std::size_t received_bytes)
    : std::runtime_error("corio::net::TcpStream::read_exact: the stream ended after " +
                         std::to_string(received_bytes) + " of " + std::to_string(expected_bytes) +
                         " bytes"),
      expected(expected_bytes),
      received(received_bytes) {}

TcpStream::TcpStream(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
    const int error = errno;
    ::close(fd);
    throw_errno(error, "corio::net::TcpStream: making the socket non-blocking");
  }
  set_nodelay(fd);
  socket_ = std::make_unique<detail::Socket>(fd);
}

detail::Socket& TcpStream::open_socket(const char* operation) const {
  if (!socket_) throw_errno(EBADF, std::string(operation) + " on a closed stream");
  return *socket_;
}

Task<TcpStream> TcpStream::connect(std::string host, std::uint16_t port) {
  const std::string what = "corio::net::TcpStream::connect " + describe(host, port);
  std::optional<AddressList> addresses;
  addresses.emplace(host, port, /*numeric_only=*/true, /*passive=*/false);
  if (addresses->status != 0) {
    // A name, not an address: resolve it on the blocking pool, never on the loop thread.
    auto resolve = [host, port] { return AddressList(host, port, /*numeric_only=*/false, false); };
    addresses.emplace(co_await to_thread(std::move(resolve)));
    if (addresses->status != 0) throw_resolve(addresses->status, what);
  }
  int last_error = EHOSTUNREACH;
  for (addrinfo* address = addresses->head; address != nullptr; address = address->ai_next) {
    const int fd = ::socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                            address->ai_protocol);
    if (fd < 0) {
      last_error = errno;
      continue;
    }
    set_nodelay(fd);
    TcpStream stream;
    stream.socket_ = std::make_unique<detail::Socket>(fd);
    int result = 0;
    do {
      result = ::connect(fd, address->ai_addr, address->ai_addrlen);
    } while (result < 0 && errno == EINTR);
    if (result == 0) co_return stream;
    if (errno != EINPROGRESS) {
      last_error = errno;
      continue;
    }
    stream.socket_->writable = false;  // writable again means the connect finished
    ConnectAwaiter wait(*stream.socket_);
    co_await wait;
    if (wait.error == 0) co_return stream;
    last_error = wait.error;
  }
  throw_errno(last_error, what);
}

// --- reads ---

TcpStream::ReadAwaiter::ReadAwaiter(detail::Socket& socket, std::span<char> buffer) noexcept
    : IoOp(socket, Direction::read, &ReadAwaiter::attempt), buffer_(buffer) {}

bool TcpStream::ReadAwaiter::attempt(IoOp& op) noexcept {
  auto& self = static_cast<ReadAwaiter&>(op);
  for (;;) {
    const ssize_t n = ::read(self.socket().fd(), self.buffer_.data(), self.buffer_.size());
    if (n >= 0) {
      self.count_ = static_cast<std::size_t>(n);
      // A short read drained the receive buffer: wait for epoll's next edge rather than make a
      // call bound to fail. Not once the peer closed: its FIN may sit behind this data with
      // its edge already reported, and the next read must return 0 at once.
      if (n > 0 && self.count_ < self.buffer_.size() && !self.socket().peer_closed) {
        self.socket().readable = false;
      }
      return true;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      self.socket().readable = false;
      return false;
    }
    self.error = errno;
    return true;
  }
}

std::size_t TcpStream::ReadAwaiter::await_resume() const {
  throw_if_failed("corio::net::TcpStream::read");
  return count_;
}

TcpStream::ReadExactAwaiter::ReadExactAwaiter(detail::Socket& socket,
                                              std::span<char> buffer) noexcept
    : IoOp(socket, Direction::read, &ReadExactAwaiter::attempt), buffer_(buffer) {}

bool TcpStream::ReadExactAwaiter::attempt(IoOp& op) noexcept {
  auto& self = static_cast<ReadExactAwaiter&>(op);
  while (self.filled_ < self.buffer_.size()) {
    const ssize_t n = ::read(self.socket().fd(), self.buffer_.data() + self.filled_,
                             self.buffer_.size() - self.filled_);
    if (n > 0) {
      self.filled_ += static_cast<std::size_t>(n);
      continue;
    }
    if (n == 0) {
      self.eof_ = true;
      return true;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      self.socket().readable = false;
      return false;
    }
    self.error = errno;
    return true;
  }
  return true;
}

void TcpStream::ReadExactAwaiter::await_resume() const {
  throw_if_failed("corio::net::TcpStream::read_exact");
  if (eof_) throw IncompleteReadError(buffer_.size(), filled_);
}

TcpStream::ReadableAwaiter::ReadableAwaiter(detail::Socket& socket) noexcept
    : IoOp(socket, Direction::read, &ReadableAwaiter::attempt) {}

bool TcpStream::ReadableAwaiter::await_ready() noexcept {
  if (!socket().readable) return false;  // drained: epoll's next edge says when bytes arrive
  char byte = 0;
  for (;;) {
    // The socket is non-blocking. 0 (end of stream) and errors other than EAGAIN are "ready":
    // the next read() reports them.
    if (::recv(socket().fd(), &byte, 1, MSG_PEEK) >= 0) return true;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      socket().readable = false;
      return false;
    }
    return true;
  }
}

// Called when epoll reports the socket readable (or hung up): no system call.
bool TcpStream::ReadableAwaiter::attempt(IoOp& /*op*/) noexcept { return true; }

void TcpStream::ReadableAwaiter::await_resume() const {
  throw_if_failed("corio::net::TcpStream::wait_readable");
}

// --- writes ---

TcpStream::WriteAwaiter::WriteAwaiter(detail::Socket& socket, std::span<const char> data,
                                      bool all) noexcept
    : IoOp(socket, Direction::write, &WriteAwaiter::attempt), data_(data), all_(all) {}

bool TcpStream::WriteAwaiter::attempt(IoOp& op) noexcept {
  auto& self = static_cast<WriteAwaiter&>(op);
  while (self.written_ < self.data_.size()) {
    // MSG_NOSIGNAL: a peer that reset the connection gives EPIPE here, never SIGPIPE.
    const ssize_t n = ::send(self.socket().fd(), self.data_.data() + self.written_,
                             self.data_.size() - self.written_, MSG_NOSIGNAL);
    if (n >= 0) {
      self.written_ += static_cast<std::size_t>(n);
      if (!self.all_) return true;
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      self.socket().writable = false;
      if (!self.all_ && self.written_ > 0) return true;
      return false;
    }
    self.error = errno;
    return true;
  }
  return true;
}

std::size_t TcpStream::WriteAwaiter::await_resume() const {
  throw_if_failed(all_ ? "corio::net::TcpStream::write_all" : "corio::net::TcpStream::write");
  return written_;
}

TcpStream::ReadAwaiter TcpStream::read(std::span<char> buffer) {
  return ReadAwaiter(open_socket("corio::net::TcpStream::read"), buffer);
}
TcpStream::ReadExactAwaiter TcpStream::read_exact(std::span<char> buffer) {
  return ReadExactAwaiter(open_socket("corio::net::TcpStream::read_exact"), buffer);
}
TcpStream::ReadableAwaiter TcpStream::wait_readable() {
  return ReadableAwaiter(open_socket("corio::net::TcpStream::wait_readable"));
}
TcpStream::WriteAwaiter TcpStream::write(std::span<const char> data) {
  return WriteAwaiter(open_socket("corio::net::TcpStream::write"), data, false);
}
TcpStream::WriteAwaiter TcpStream::write_all(std::span<const char> data) {
  return WriteAwaiter(open_socket("corio::net::TcpStream::write_all"), data, true);
}

void TcpStream::shutdown() {
  detail::Socket& socket = open_socket("corio::net::TcpStream::shutdown");
  if (::shutdown(socket.fd(), SHUT_WR) < 0 && errno != ENOTCONN) {
    throw_errno(errno, "corio::net::TcpStream::shutdown");
  }
}

// --- listener ---

namespace {

bool accept_attempt(detail::IoOp& op) noexcept;

class AcceptAwaiter : public detail::IoOp {
 public:
  explicit AcceptAwaiter(detail::Socket& socket) noexcept
      : IoOp(socket, Direction::read, &accept_attempt) {}
  // The error, if any, is left in `error`: accept() decides which ones to back off from.
  void await_resume() const { throw_if_cancelled(); }
  int accepted = -1;
};

bool accept_attempt(detail::IoOp& op) noexcept {
  auto& self = static_cast<AcceptAwaiter&>(op);
  for (;;) {
    const int fd = ::accept4(self.socket().fd(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      self.accepted = fd;
      return true;
    }
    // The connection was aborted before we took it, or a signal came: try the next one.
    if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      self.socket().readable = false;
      return false;
    }
    self.error = errno;
    return true;
  }
}

bool out_of_descriptors(int error) noexcept {
  return error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM;
}

}  // namespace

TcpListener TcpListener::bind(const std::string& host, std::uint16_t port) {
  return bind(host, port, Options{});
}

TcpListener TcpListener::bind(const std::string& host, std::uint16_t port, Options options) {
  const std::string what = "corio::net::TcpListener::bind " + describe(host, port);
  // Listening addresses are set up once, before serving: a blocking lookup is acceptable.
  AddressList addresses(host, port, /*numeric_only=*/false, /*passive=*/true);
  if (addresses.status != 0) throw_resolve(addresses.status, what);
  int last_error = EADDRNOTAVAIL;
  for (addrinfo* address = addresses.head; address != nullptr; address = address->ai_next) {
    const int fd = ::socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                            address->ai_protocol);
    if (fd < 0) {
      last_error = errno;
      continue;
    }
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (options.reuse_port) ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    if (::bind(fd, address->ai_addr, address->ai_addrlen) < 0 ||
        ::listen(fd, options.backlog) < 0) {
      last_error = errno;
      ::close(fd);
      continue;
    }
    TcpListener listener;
    listener.socket_ = std::make_unique<detail::Socket>(fd);
    return listener;
  }
  throw_errno(last_error, what);
}

TcpListener TcpListener::adopt(int fd) {
  int listening = 0;
  socklen_t length = sizeof listening;
  if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) < 0) {
    throw_errno(errno, "corio::net::TcpListener::adopt");
  }
  if (listening == 0) throw_errno(EINVAL, "corio::net::TcpListener::adopt: not listening");
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
    throw_errno(errno, "corio::net::TcpListener::adopt");
  }
  TcpListener listener;
  listener.socket_ = std::make_unique<detail::Socket>(fd);
  return listener;
}

std::uint16_t TcpListener::local_port() const {
  if (!socket_) throw_errno(EBADF, "corio::net::TcpListener::local_port on a closed listener");
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(socket_->fd(), reinterpret_cast<sockaddr*>(&address), &length) < 0) {
    throw_errno(errno, "corio::net::TcpListener::local_port");
  }
  const auto port = address.ss_family == AF_INET6
                        ? reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port
                        : reinterpret_cast<const sockaddr_in*>(&address)->sin_port;
  return ntohs(port);
}

Task<TcpStream> TcpListener::accept() {
  using namespace std::chrono_literals;
  auto backoff = 1ms;
  for (;;) {
    if (!socket_) throw_errno(EBADF, "corio::net::TcpListener::accept on a closed listener");
    AcceptAwaiter wait(*socket_);
    co_await wait;
    if (wait.error == 0) {
      set_nodelay(wait.accepted);
      TcpStream stream;
      stream.socket_ = std::make_unique<detail::Socket>(wait.accepted);  // non-blocking already
      co_return stream;
    }
    if (!out_of_descriptors(wait.error)) throw_errno(wait.error, "corio::net::TcpListener::accept");
    // Out of descriptors: the connection stays queued in the backlog (no new epoll edge will
    // announce it), so sleep and try again; the loop serves the open connections meanwhile.
    co_await sleep(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(100));
  }
}

}  // namespace corio::net
