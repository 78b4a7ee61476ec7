#pragma once
// A minimal HTTP/1.1 client for corio's load generator: one keep-alive connection.
//
//   corio::net::http::Client          connect(host, port), get(target)
//   corio::net::http::Client::Result  status and body of one response
//   corio::net::http::HttpError       the server's response was malformed or cut short
//
// Starts:   lazily (Tasks). connect() connects at once; get() writes the request and reads
//           until one whole response is buffered.
// Resumes:  on the loop thread.
// Cancellation: a get() cancelled while waiting may have sent its request and read part of the
//           response: the connection is then out of step and the client must be dropped.
// Errors:   std::system_error from the stream (connect refused, reset); HttpError when the
//           response does not parse (ResponseParser's rules: Content-Length framing only) or
//           the server closes before a whole response arrived. No reconnect: after an error,
//           or after a response with "Connection: close", get() throws HttpError.
// Thread safety: loop thread only; one get() at a time per client (co_await it at once).
// Cost:     per client: a 4 KiB receive buffer (doubled, up to the parser's limits, only for a
//           larger response: a load generator's thousands of clients stay small). Per request in
//           steady state: no heap allocation beyond get()'s coroutine frame, which the frame pool
//           recycles; one send() and usually one read().
// Example:  runtime/tests/http_server_test.cpp

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <corio/net/http_parser.hpp>
#include <corio/net/tcp.hpp>
#include <corio/task.hpp>

namespace corio::net::http {

class HttpError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Client {
 public:
  struct Result {
    int status = 0;
    // Points into the client's buffer: valid until the next get() or the client's end.
    std::string_view body;
  };

  // Connects to host:port; `host` is also sent as the Host header.
  static Task<Client> connect(std::string host, std::uint16_t port, Limits limits = {});

  Client(Client&&) noexcept = default;
  Client& operator=(Client&&) noexcept = default;
  ~Client() = default;

  // GET `target` ("/index.html") on the kept-alive connection. The client must outlive the
  // returned task: co_await it at once.
  Task<Result> get(std::string_view target);

  [[nodiscard]] bool is_open() const noexcept { return stream_.is_open(); }
  void close() noexcept { stream_.close(); }

 private:
  Client(TcpStream stream, std::string host, Limits limits);

  TcpStream stream_;
  std::string host_;
  ResponseParser parser_;
  std::vector<char> buffer_;  // received bytes [begin_, end_); the last response before begin_
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::size_t most_ = 0;       // largest the buffer may grow
  std::size_t last_size_ = 0;  // bytes of the response the last get() returned
  std::vector<char> request_;  // the request head being sent
};

}  // namespace corio::net::http
