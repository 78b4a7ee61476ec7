#pragma once
// corio::net: TCP streams on the loop's epoll reactor (asyncio's streams).
//
//   corio::net::TcpListener    bind(host, port) (port 0 picks a free one), accept()
//   corio::net::TcpStream      connect(host, port), read, read_exact, wait_readable, write,
//                              write_all, shutdown, close
//   corio::net::IncompleteReadError  read_exact() met end of stream first
//
// Starts:   every operation tries its system call at once when the socket may be ready, and
//           waits on epoll only when it is not: a task waiting on a socket costs no thread.
// Resumes:  on the loop thread, once the operation has completed (the bytes are read or
//           written by the loop's event handler before the coroutine resumes).
// Cancellation: every wait is cancellable (JoinHandle::cancel, wait_for). A read or accept
//           cancelled while waiting has consumed nothing; write() has sent nothing;
//           write_all() may have sent a prefix of its data (its CancelledError does not say
//           how much), so after a cancelled write_all the stream should be closed. A cancelled
//           operation leaks no descriptor: the stream or listener still owns it.
// Errors:   std::system_error with the errno and what was being done ("corio::net::TcpStream::
//           read"); a peer reset is ECONNRESET/EPIPE, never SIGPIPE (sends use MSG_NOSIGNAL).
//           EINTR is retried; EAGAIN and partial writes are handled inside write_all.
// Thread safety: loop thread only; one reader and one writer at a time per stream.
// Cost:     one pooled allocation per stream (its epoll registration); none per operation.
//           Sockets are non-blocking with TCP_NODELAY on. A keep-alive request/response costs
//           one read and one write, with epoll_wait shared by all connections ready together.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include <corio/detail/io_op.hpp>
#include <corio/task.hpp>

namespace corio::net {

class IncompleteReadError : public std::runtime_error {
 public:
  IncompleteReadError(std::size_t expected, std::size_t received);
  std::size_t expected;
  std::size_t received;
};

class TcpStream {
 public:
  TcpStream() noexcept = default;
  // Takes ownership of a connected socket (made non-blocking, TCP_NODELAY set).
  explicit TcpStream(int fd);
  TcpStream(TcpStream&&) noexcept = default;
  TcpStream& operator=(TcpStream&&) noexcept = default;
  ~TcpStream() = default;

  // Resolves host (numeric addresses at once; names through to_thread's pool) and connects.
  static Task<TcpStream> connect(std::string host, std::uint16_t port);

  [[nodiscard]] bool is_open() const noexcept { return socket_ != nullptr; }
  [[nodiscard]] int native_handle() const noexcept { return socket_ ? socket_->fd() : -1; }

  class [[nodiscard]] ReadAwaiter : public detail::IoOp {
   public:
    ReadAwaiter(detail::Socket& socket, std::span<char> buffer) noexcept;
    std::size_t await_resume() const;

   private:
    static bool attempt(IoOp& op) noexcept;
    std::span<char> buffer_;
    std::size_t count_ = 0;
  };

  class [[nodiscard]] ReadExactAwaiter : public detail::IoOp {
   public:
    ReadExactAwaiter(detail::Socket& socket, std::span<char> buffer) noexcept;
    void await_resume() const;

   private:
    static bool attempt(IoOp& op) noexcept;
    std::span<char> buffer_;
    std::size_t filled_ = 0;
    bool eof_ = false;
  };

  class [[nodiscard]] ReadableAwaiter : public detail::IoOp {
   public:
    explicit ReadableAwaiter(detail::Socket& socket) noexcept;
    // Hides IoOp::await_ready: a socket marked readable is checked with a 1-byte MSG_PEEK
    // (the mark is optimistic: a new socket, or one whose last read filled its buffer).
    [[nodiscard]] bool await_ready() noexcept;
    void await_resume() const;

   private:
    static bool attempt(IoOp& op) noexcept;
  };

  class [[nodiscard]] WriteAwaiter : public detail::IoOp {
   public:
    WriteAwaiter(detail::Socket& socket, std::span<const char> data, bool all) noexcept;
    std::size_t await_resume() const;

   private:
    static bool attempt(IoOp& op) noexcept;
    std::span<const char> data_;
    std::size_t written_ = 0;
    bool all_;
  };

  // Reads what is available, at most buffer.size() bytes; waits if nothing is. 0: end of
  // stream (the peer shut down its side).
  ReadAwaiter read(std::span<char> buffer);
  // Fills the whole buffer; IncompleteReadError if the stream ends first.
  ReadExactAwaiter read_exact(std::span<char> buffer);
  // Waits until a read would find something: bytes, the peer's end of stream or an error. Reads
  // nothing, so the caller needs no buffer while it waits (a server's idle keep-alive
  // connection takes one only when its next request arrives). Cost: no system call when the
  // socket is known drained (the usual case after a short read): it waits for epoll's edge,
  // and trusts it; one recv(MSG_PEEK) when the socket is marked readable. An edge for bytes a
  // read already took (rare) wakes it with nothing to read: the next read() then waits.
  // Cancellation: like read(), nothing consumed. One waiter at a time, like read().
  ReadableAwaiter wait_readable();
  // Writes what the socket takes now (at least one byte; waits if it takes none).
  WriteAwaiter write(std::span<const char> data);
  // Writes all of data (a std::string or string_view converts), waiting whenever the socket's
  // buffer is full.
  WriteAwaiter write_all(std::span<const char> data);

  // Shuts down the sending side: the peer reads end of stream; reading still works.
  void shutdown();
  // Closes now; a task waiting on the stream gets std::system_error(EBADF). Idempotent.
  void close() noexcept { socket_.reset(); }

 private:
  friend class TcpListener;  // hands over accepted sockets, already non-blocking
  detail::Socket& open_socket(const char* operation) const;
  std::unique_ptr<detail::Socket> socket_;
};

class TcpListener {
 public:
  struct Options {
    // SO_REUSEPORT: several listeners (one per run_sharded loop) share the port, and the
    // kernel spreads connections over them.
    bool reuse_port = false;
    int backlog = 4096;
  };

  TcpListener() noexcept = default;
  TcpListener(TcpListener&&) noexcept = default;
  TcpListener& operator=(TcpListener&&) noexcept = default;
  ~TcpListener() = default;

  // Binds and listens (SO_REUSEADDR always). Port 0 picks a free port: see local_port().
  // Throws std::system_error ("corio::net::TcpListener::bind 127.0.0.1:8080": EADDRINUSE ...).
  static TcpListener bind(const std::string& host, std::uint16_t port);
  static TcpListener bind(const std::string& host, std::uint16_t port, Options options);
  // Takes ownership of a socket that is already bound and listening (made non-blocking here),
  // e.g. one a parent process bound and handed down. Throws std::system_error when `fd` is
  // not a listening socket.
  static TcpListener adopt(int fd);

  [[nodiscard]] std::uint16_t local_port() const;
  [[nodiscard]] int native_handle() const noexcept { return socket_ ? socket_->fd() : -1; }

  // Waits for a connection. Out of descriptors (EMFILE, ENFILE, ENOBUFS, ENOMEM), it backs off
  // (1 ms doubling to 100 ms) and retries, so the loop keeps serving the connections it has
  // and accepting resumes when descriptors free up; it never spins.
  Task<TcpStream> accept();

  void close() noexcept { socket_.reset(); }

 private:
  std::unique_ptr<detail::Socket> socket_;
};

}  // namespace corio::net
