#pragma once
// The HTTP side shared by mixed/blocking_in_loop's servers: a connection's receive buffer with
// corio's RequestParser, and the answers. Parsing is not what this workload compares, so every
// model parses alike; each model only moves the bytes and runs the work its own way.
//
//   Route              GET (or HEAD) /cheap, /expensive, anything else
//   ParsedRequest      one request, as values (nothing points into the buffer)
//   RequestStream      receive buffer + parser: room() to read into, next() request
//   append_answer      the response to a request (or to a malformed one), appended to a buffer
//
// Pipelining: next() hands out each complete request already buffered, in order; a server
// answers them in that order (the expensive one's answer after its work, before the next).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <corio/net/http_parser.hpp>

namespace workloads::mixed::blocking_in_loop {

enum class Route : std::uint8_t { cheap, expensive, not_found };

struct ParsedRequest {
  enum class Kind : std::uint8_t { need_more, request, malformed };
  Kind kind = Kind::need_more;
  Route route = Route::not_found;
  bool keep_alive = true;
  bool http10 = false;
  bool head = false;     // a HEAD request: its answer has the GET's head and no body
  int error_status = 0;  // malformed: the status to answer before closing
};

class RequestStream {
 public:
  RequestStream();

  // Free space to read into (the partial request moves to the front first). Never empty:
  // the buffer holds the largest request the parser accepts.
  std::span<char> room() noexcept;
  // `count` bytes were read into room().
  void commit(std::size_t count) noexcept { end_ += count; }
  // The next complete request buffered, consumed from the buffer; need_more when none is
  // complete. After `malformed` the connection must be answered and closed.
  ParsedRequest next() noexcept;

 private:
  corio::net::http::RequestParser parser_;
  std::vector<char> data_;
  std::size_t begin_ = 0;  // the current request's first byte
  std::size_t end_ = 0;    // one past the last byte read
};

// Appends the response to `request` (kind request or malformed): 200 "ok" for /cheap,
// 200 "ok <work_result>" for /expensive, 404 otherwise (no body bytes for HEAD), the parser's
// status for a malformed request (with "Connection: close"). Reuses `out`'s capacity: no allocation
// once it has grown to a burst's size.
void append_answer(std::string& out, const ParsedRequest& request, std::uint64_t work_result = 0);

}  // namespace workloads::mixed::blocking_in_loop
