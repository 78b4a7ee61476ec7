#pragma once
// BlockingConnection: one keep-alive HTTP/1.1 connection on a blocking socket, for the models
// whose threads or processes wait in the kernel (sequential, threads, thread_pool, processes).
//
//   connect(port, failure)            a blocking connect to 127.0.0.1:port, TCP_NODELAY on
//   exchange(request, failure)        send() the request, recv() until one whole response
//   response()                        the last response (status, body), until the next call
//   BlockingFailure, describe()       what went wrong, as values; text only on demand
//
// No allocation and no locks in any member (the processes model calls them in forked
// children, where only async-signal-safe work is sure to be safe): failures are reported as
// a static text plus errno, and describe() formats them where allocating is fine.
// A failed exchange closes the connection; connect() again for the next request.

#include <cstdint>
#include <string>
#include <string_view>

#include "workloads/common/fanout_response_reader.hpp"

namespace workloads::common::fanout {

struct BlockingFailure {
  std::string_view what;    // static text: "connect", "send", "malformed response", ...
  std::string_view detail;  // static text or empty (the parser's reason)
  int error_number = 0;     // errno, or 0
};

// "connect: Connection refused", "malformed response: bad status line".
std::string describe(const BlockingFailure& failure);

class BlockingConnection {
 public:
  BlockingConnection() noexcept = default;
  BlockingConnection(const BlockingConnection&) = delete;
  BlockingConnection& operator=(const BlockingConnection&) = delete;
  ~BlockingConnection() { close(); }

  [[nodiscard]] bool is_open() const noexcept { return fd_ >= 0; }
  // Closes any open connection first. False with `failure` set when the connect fails.
  bool connect(std::uint16_t port, BlockingFailure& failure) noexcept;
  // True when a whole response arrived (whatever its status); then response() holds it.
  bool exchange(std::string_view request, BlockingFailure& failure) noexcept;
  [[nodiscard]] const ResponseReader& response() const noexcept { return reader_; }
  void close() noexcept;

 private:
  bool fail(BlockingFailure& failure, std::string_view what, std::string_view detail,
            int error_number) noexcept;
  int fd_ = -1;
  ResponseReader reader_;
};

}  // namespace workloads::common::fanout
