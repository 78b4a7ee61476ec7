#pragma once
// The HTTP/1.1 side of one server connection, shared by every model that is not corio (corio
// serves with corio::net::http::serve, which does the same thing): bytes in, replies out. It
// is a protocol state machine, not a concurrency mechanism, so every model spends the same
// work per request and the models differ only in how they wait for sockets.
//
//   HttpSession   receive buffer + corio::net::http::RequestParser + send buffer
//
// Parsing is corio's RequestParser (runtime/include/corio/net/http_parser.hpp): incremental,
// zero-copy, strict (llhttp's rules), tested split at every byte. Writing a second parser here
// would only make the models' parsing costs differ from corio's server.
//
// How a model drives it, whatever its way of waiting:
//
//   read into session.receive_room(), then session.received(n)
//       (n == 0, end of stream: close)
//   session.answer()           every complete request buffered gets its reply, in order
//                              (pipelining: one read may hold many requests, or part of one)
//   write session.unsent() until empty, calling session.sent(k) for each k bytes written
//   session.closing()          true after "Connection: close" or a malformed request: close
//                              once unsent() is empty; otherwise read again
//
// Replies: the suite's routes, workloads::common::plaintext_routes
// (workloads/common/http_routes.hpp), as corio's server answers them: GET or HEAD /plaintext
// -> 200 text/plain "Hello, World!"; another method of RFC 9110 on /plaintext -> 405 with
// "Allow: GET, HEAD"; an unknown method -> 501; OPTIONS * -> 200 with Allow; any other target
// 404; malformed input -> the parser's status (400, 413, 414, 431, 501, 505) and close.
// "Expect: 100-continue" before a body: "100 Continue", or the final status and close when
// the route refuses the request by its head (as corio's server does). Every reply
// has Content-Length, Server and Date (TechEmpower's plaintext rules), the same bytes as
// corio's server sends apart from the Server name, which has the same length.
// Thread safety: none; one connection's thread or handler uses it at a time (it may move
// between threads between calls).
// Cost: in steady state no allocation: both buffers are reused; the Date header is formatted
// once a second per thread.

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include <corio/net/http_parser.hpp>

namespace workloads::io::http_plaintext {

class HttpSession {
 public:
  HttpSession();

  // Where to read next: never empty while !closing() (the parser reports a request over its
  // limits before it fills the buffer's largest size).
  std::span<char> receive_room();
  void received(std::size_t bytes) noexcept { receive_end_ += bytes; }

  // Answers every complete request in the receive buffer; stops at the first malformed one.
  void answer();

  [[nodiscard]] std::span<const char> unsent() const noexcept {
    return {send_.data() + send_begin_, send_end_ - send_begin_};
  }
  void sent(std::size_t bytes) noexcept;

  [[nodiscard]] bool closing() const noexcept { return closing_; }

 private:
  void append_reply(int status, std::string_view body, bool keep_alive, bool http10, bool head_only,
                    std::string_view allow = {});
  // "Expect: 100-continue" on the request whose body is still to come: "100 Continue", or the
  // final status at once (and close) when the route refuses the request by its head.
  void answer_expectation();

  corio::net::http::RequestParser parser_;
  std::vector<char> receive_;
  std::size_t receive_begin_ = 0;  // the current request's first byte
  std::size_t receive_end_ = 0;
  std::vector<char> send_;
  std::size_t send_begin_ = 0;
  std::size_t send_end_ = 0;
  bool closing_ = false;
  bool expectation_answered_ = false;  // the current request's 100-continue is answered
};

}  // namespace workloads::io::http_plaintext
