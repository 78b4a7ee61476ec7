#pragma once
// harness::HttpResponseReader: the load generator's HTTP/1.1 response parser, reduced to what a
// benchmark client needs: the status code, the body length (Content-Length), whether the
// server closes the connection afterwards, where the response ends, and whether the body is
// the one expected. Body bytes are compared where they lie, never stored.
//
//   feed(bytes)         consumes bytes of one response; returns how many it took and whether
//                       the response is complete, needs more bytes, or is malformed (error()
//                       says why)
//   reset()             ready for the next response on the same connection
//   expect_body(&body)  the body the next responses must carry (harness::ExpectedBody: these
//                       exact bytes, or starting with them); nullptr: not compared. Kept over
//                       reset(). After a complete response, body_matches() tells, and
//                       body_mismatch() says what differs (with the start of what came).
//
// A head that arrives in one piece is parsed where it lies (no copy); one split over reads is
// gathered in a buffer first, up to 64 KiB. Refused as malformed: a status line that is not
// "HTTP/1.x NNN", a head without Content-Length (chunked bodies are not supported: the
// suite's servers and nginx send Content-Length), a head over 64 KiB. 1xx, 204 and 304
// responses have no body.
//
// A wrong body is not a malformed response: the framing holds (the response is complete and
// the next one can follow); the caller decides what a wrong body means.
//
// Thread safety: one reader per connection. Cost: no allocation when heads arrive whole and
// bodies are right (a right body costs one memcmp; a wrong one copies up to 40 bytes for the
// message).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace harness {

// What a response body must be: exactly `bytes`, or, with `prefix_only`, anything that starts
// with them (an answer that carries a computed value after a fixed part). starting_with("")
// accepts any body: nothing is compared.
struct ExpectedBody {
  std::string bytes;
  bool prefix_only = false;

  static ExpectedBody exactly(std::string body) { return {std::move(body), false}; }
  static ExpectedBody starting_with(std::string prefix) { return {std::move(prefix), true}; }
  static ExpectedBody anything() { return {{}, true}; }
  // False for anything(): no body can be wrong.
  [[nodiscard]] bool compares() const noexcept { return !prefix_only || !bytes.empty(); }
  // "'Hello, World!' (13 bytes)", "a body starting with 'ok '", "any body".
  [[nodiscard]] std::string describe() const;
};

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
  // `expected` must outlive its use; nullptr (the default): bodies are not compared.
  void expect_body(const ExpectedBody* expected) noexcept {
    expected_ = expected != nullptr && expected->compares() ? expected : nullptr;
  }

  [[nodiscard]] int status() const noexcept { return status_; }
  [[nodiscard]] std::int64_t content_length() const noexcept { return content_length_; }
  // The server will close the connection after this response ("Connection: close", or an
  // HTTP/1.0 response without "Connection: keep-alive").
  [[nodiscard]] bool closes() const noexcept { return closes_; }
  [[nodiscard]] const std::string& error() const noexcept { return error_; }
  // Of a complete response: false when its body is not the expected one.
  [[nodiscard]] bool body_matches() const noexcept { return !body_wrong_; }
  // Of a complete response whose body is wrong: what differs, e.g. "body 'Hello, World?' (13
  // bytes) differs from the expected 'Hello, World!' (13 bytes) at byte 12"; "" otherwise.
  [[nodiscard]] std::string body_mismatch() const;

  static constexpr std::size_t kExcerptBytes = 40;  // of a wrong body, kept for the message

 private:
  bool parse_head(std::string_view head);
  Step fail(std::string text);
  void start_body();
  void compare_body(std::string_view chunk);
  void keep_excerpt(std::string_view chunk);

  bool in_body_ = false;
  std::string head_;  // a head split over reads, gathered here
  std::int64_t body_left_ = 0;
  int status_ = 0;
  std::int64_t content_length_ = -1;
  bool closes_ = false;
  std::string error_;

  const ExpectedBody* expected_ = nullptr;
  std::int64_t body_seen_ = 0;  // body bytes fed so far
  bool body_wrong_ = false;
  std::int64_t wrong_at_ = -1;  // the first differing byte; -1: only the length is wrong
  std::string excerpt_;         // a wrong body's first bytes (up to kExcerptBytes)
};

}  // namespace harness
