#pragma once
// harness::HttpResponseReader: the load generator's HTTP/1.1 response parser, reduced to what a
// benchmark client needs: the status code, the body length (Content-Length), whether the
// server closes the connection afterwards, and where the response ends. Body bytes are
// counted, never stored.
//
//   feed(bytes)  consumes bytes of one response; returns how many it took and whether the
//                response is complete, needs more bytes, or is malformed (error() says why)
//   reset()      ready for the next response on the same connection
//
// A head that arrives in one piece is parsed where it lies (no copy); one split over reads is
// gathered in a buffer first, up to 64 KiB. Refused as malformed: a status line that is not
// "HTTP/1.x NNN", a head without Content-Length (chunked bodies are not supported: the
// suite's servers and nginx send Content-Length), a head over 64 KiB. 1xx, 204 and 304
// responses have no body.
//
// Thread safety: one reader per connection. Cost: no allocation when heads arrive whole.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace harness {

class HttpResponseReader {
 public:
  enum class Progress : std::uint8_t { incomplete, complete, malformed };
  struct Step {
    std::size_t consumed = 0;  // bytes of `data` that belong to this response
    Progress progress = Progress::incomplete;
  };

  static constexpr std::size_t kMaxHeadBytes = std::size_t{64} * 1024;

  Step feed(std::string_view data);
  void reset() noexcept;

  [[nodiscard]] int status() const noexcept { return status_; }
  [[nodiscard]] std::int64_t content_length() const noexcept { return content_length_; }
  // The server will close the connection after this response ("Connection: close", or an
  // HTTP/1.0 response without "Connection: keep-alive").
  [[nodiscard]] bool closes() const noexcept { return closes_; }
  [[nodiscard]] const std::string& error() const noexcept { return error_; }

 private:
  bool parse_head(std::string_view head);
  Step fail(std::string text);

  bool in_body_ = false;
  std::string head_;  // a head split over reads, gathered here
  std::int64_t body_left_ = 0;
  int status_ = 0;
  std::int64_t content_length_ = -1;
  bool closes_ = false;
  std::string error_;
};

}  // namespace harness
