#pragma once
// HTTP/1.1 messages for corio's load-test servers and clients: parsing without copying, and
// formatting into caller-provided buffers.
//
//   corio::net::http::RequestParser   incremental request parser, one per server connection
//   corio::net::http::Request         one parsed request: views into the connection's buffer
//   corio::net::http::ResponseParser  incremental response parser, one per client connection
//   corio::net::http::Response        one parsed response: views into the connection's buffer
//   corio::net::http::ParseResult     complete / need_more / error, bytes consumed, status code
//   corio::net::http::Limits          head and body size limits, header count
//   corio::net::http::HeaderList      a request's or response's header fields, fixed capacity
//   status_text, write_response_head, write_request_head, write_http_date, find_query_param
//   corio::net::http::ReplyHeaderLines  a server's own header lines for write_response_head
//
// What is accepted (RFC 9112, with llhttp's strictness wherever lenience allows request
// smuggling); anything else is an error and the connection should be closed after answering:
//   400  a malformed request line or header line; a method that is not a token; a request
//        target that is not origin-form ("/path?query" of RFC 3986 characters, "%" followed
//        by two hex digits, no "#"), absolute-form ("http://host[:port]/path", scheme http or
//        https, no userinfo), asterisk-form ("*", OPTIONS only) or authority-form
//        ("host:port", CONNECT only, and CONNECT takes no other form); a bare LF or CR; NUL or
//        another control byte in a header value; whitespace before a header's colon; obs-fold
//        (a line starting with SP or HTAB); Content-Length that is not 1*DIGIT or repeated
//        with a different value; Transfer-Encoding together with Content-Length, in HTTP/1.0,
//        without "chunked" as its final coding (RFC 9112 section 6.3: the length cannot be
//        known), with "chunked" twice, or empty; an HTTP/1.1 request without exactly one Host
//        (HTTP/1.0: at most one); a Host value that is not uri-host [":" port] (RFC 3986);
//        a malformed chunked body: a chunk size that is not 1*HEXDIG or overflows 64 bits,
//        an invalid chunk extension, chunk data longer than its size, a malformed trailer
//        field, a bare LF or CR anywhere in the framing.
//   413  Content-Length, or the chunk sizes of a chunked body added up, above
//        Limits::max_body_bytes (default 1 MiB); reported at the chunk-size line that goes
//        over, before its data arrives. Also a chunked request whose head, chunk framing
//        (sizes, extensions, CRLFs, trailers) and data together exceed max_head_bytes +
//        max_body_bytes, so that a server's receive buffer of that size always holds it.
//   414  a request line that does not end within Limits::max_head_bytes.
//   431  request line and header lines (up to the blank line) above Limits::max_head_bytes
//        (default 8 KiB), or more than Limits::max_headers fields (default and capacity 128;
//        nginx accepts at least 100, and so must we).
//   501  Transfer-Encoding with a coding other than chunked before the final chunked
//        ("gzip, chunked"): the coding is understood as a list, but not implemented.
//   505  a well-formed version whose major is not 1 (HTTP/2.0, HTTP/0.9); a later minor
//        (HTTP/1.2) is read as HTTP/1.1, as RFC 9110 section 2.5 asks and nginx does.
// Identical repeated Content-Length lines are accepted (RFC 9110 section 8.6); a list such as
// "5, 5" is not. Empty lines before a request line are skipped (RFC 9112 section 2.2).
// A request without Content-Length or Transfer-Encoding has no body. Which methods exist and
// which targets a server serves (404, 405, 501 for an unknown method) is the server's
// business, not the parser's: any token method is parsed.

#include <array>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <optional>
#include <span>
#include <string_view>

namespace corio::net::http {

// Header fields a message can carry; a Limits::max_headers above this is clamped to it.
inline constexpr std::size_t kMaxHeaders = 128;
// Bytes of an IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT", as write_http_date writes it.
inline constexpr std::size_t kHttpDateSize = 29;

struct Limits {
  // The request line, header lines and the blank line that ends them, plus any empty lines
  // skipped before the request line. Above it: 431, or 414 while the request line is unended.
  std::size_t max_head_bytes = std::size_t{8} * 1024;
  // Largest body accepted (Content-Length, or the sum of a chunked body's chunk sizes); a
  // larger one is answered 413 before its data arrives.
  std::size_t max_body_bytes = std::size_t{1024} * 1024;
  // Most header fields; one more is 431.
  std::size_t max_headers = kMaxHeaders;
};

enum class ParseStatus : std::uint8_t {
  need_more,  // no error so far; call parse() again once more bytes are buffered
  complete,   // one message is parsed; `consumed` bytes of the buffer belong to it
  error,      // the message is malformed or over a limit: answer error_status and close
};

struct ParseResult {
  ParseStatus status = ParseStatus::need_more;
  // complete: bytes of this message (skipped empty lines, head and body); otherwise 0.
  std::size_t consumed = 0;
  // error: the status to answer with (RequestParser: 400, 413, 414, 431, 501 or 505;
  // ResponseParser: always 502, a malformed upstream response). Otherwise 0.
  int error_status = 0;
  // error: what was wrong, a static string for logs and tests; otherwise empty.
  std::string_view error_reason;

  bool operator==(const ParseResult&) const = default;
};

struct Header {
  std::string_view name;   // as sent; compare with HeaderList::find, which ignores case
  std::string_view value;  // leading and trailing spaces and tabs removed
};

// A message's header fields in arrival order, stored inline (no allocation).
class HeaderList {
 public:
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] const Header& operator[](std::size_t index) const noexcept {
    return fields_[index];
  }
  [[nodiscard]] const Header* begin() const noexcept { return fields_.data(); }
  [[nodiscard]] const Header* end() const noexcept { return fields_.data() + size_; }
  // The value of the first field named `name`, compared ASCII case-insensitively.
  [[nodiscard]] std::optional<std::string_view> find(std::string_view name) const noexcept;

  void clear() noexcept { size_ = 0; }
  // False, adding nothing, when full.
  bool push_back(Header header) noexcept {
    if (size_ == fields_.size()) return false;
    fields_[size_++] = header;
    return true;
  }

 private:
  std::array<Header, kMaxHeaders> fields_{};
  std::size_t size_ = 0;
};

// One request as RequestParser found it. Every view points into the buffer given to parse().
struct Request {
  std::string_view method;  // any token, case-sensitive: "GET", "POST", ...
  std::string_view target;  // as sent: "/search?q=5", "http://h/search?q=5", "*", "h:443"
  // The path to route by: origin-form's target before the first '?' ("/search"); for
  // absolute-form the part after the authority ("/" when that is empty: a static string, not
  // in the buffer); "*" for asterisk-form; empty for authority-form (CONNECT).
  std::string_view path;
  std::string_view query;  // target after the first '?', without it: "ms=5"; else empty
  int version_minor = 1;   // HTTP/1.<version_minor>: 0 or 1 (1.2 and later read as 1)
  HeaderList headers;
  std::string_view body;  // Content-Length bytes; empty without Content-Length and if chunked
  // HTTP/1.1: true unless a Connection header lists "close". HTTP/1.0: true only when a
  // Connection header lists "keep-alive" and none lists "close".
  bool keep_alive = true;
  // Transfer-Encoding: chunked. The body's data is then not one run of bytes: chunked_body
  // is the whole encoded body as received (chunk-size lines, data, last chunk, trailer
  // fields, final CRLF), already validated; ChunkReader walks its data without copying.
  // Trailer fields are validated and not otherwise used (RFC 9110 section 6.5.1 allows it).
  bool chunked = false;
  std::string_view chunked_body;
  // The body's data bytes: Content-Length, or the chunk sizes added up.
  std::size_t body_size = 0;
  // absolute-form's authority ("example.com:8080"; RFC 9112 section 3.2.2 makes it, not the
  // Host header, the target's host) or authority-form's whole target; else empty.
  std::string_view authority;
  // "Expect: 100-continue" on an HTTP/1.1 request with a body to come: the client may wait
  // for "100 Continue" (or a final status) before sending it. RequestParser::pending_head()
  // shows the head while the body is awaited. HTTP/1.0 expectations are ignored (RFC 9110
  // section 10.1.1); so are expectations other than 100-continue, as nginx does.
  bool expect_continue = false;
};

// Walks the data of a chunked body that RequestParser accepted (Request::chunked_body), one
// chunk at a time, without copying:
//   http::ChunkReader reader(request.chunked_body);
//   while (std::optional<std::string_view> data = reader.next()) consume(*data);
// Cost: each framing byte is read once more; data bytes are not read.
class ChunkReader {
 public:
  explicit ChunkReader(std::string_view chunked_body) noexcept : rest_(chunked_body) {}
  // The next chunk's data (never empty), or nullopt after the last chunk.
  std::optional<std::string_view> next() noexcept;

 private:
  std::string_view rest_;
};

namespace detail {
// Where the search for the end of a message head stopped, carried between parse() calls.
// Offsets from the first byte of the message, never pointers, so the buffer may move.
struct HeadScan {
  std::size_t scanned = 0;         // bytes searched for the blank line so far
  std::size_t line_start = 0;      // first byte of the line being searched
  std::size_t start = 0;           // first byte of the start line (after empty lines)
  std::size_t first_line_end = 0;  // one past the start line's LF; 0 while not seen
  std::size_t head_end = 0;        // one past the blank line's LF; 0 while not seen
  std::size_t body_size = 0;       // Content-Length, known once head_end is set
  // Transfer-Encoding: chunked, known once head_end is set; then the chunked-body scan below
  // resumes at chunk_pos, and body_size counts the data bytes seen so far.
  bool chunked = false;
  std::uint8_t chunk_state = 0;  // the state of the chunked-body scan (http_parser.cpp)
  std::size_t chunk_pos = 0;     // next byte of the chunked body to examine
  std::size_t chunk_size = 0;    // the chunk size being read, then its data bytes left
};
}  // namespace detail

// An incremental, zero-copy HTTP/1.1 request parser; see the top of this file for what it
// accepts. A server keeps one per connection, together with one receive buffer:
//
//   for (;;) {
//     ParseResult result = parser.parse(unconsumed bytes of the buffer);
//     if complete: answer parser.request(), drop result.consumed bytes, loop (pipelining);
//     if need_more: read more into the buffer, loop;
//     if error: answer result.error_status with "Connection: close", then close.
//   }
//
// `buffered` must start at the current request's first byte and hold, unchanged, every byte
// passed before for this request; the buffer may move or grow between calls (the parser
// keeps offsets, not pointers). After `complete` the next call starts the next request.
// Errors are reported once the whole head has arrived, except a bare LF (as soon as it is
// seen) and a head over Limits::max_head_bytes (as soon as that many bytes are buffered);
// errors of a chunked body are reported at the byte that makes them certain (a size over the
// limit at the end of its chunk-size line, before its data);
// bytes without any LF, such as a TLS ClientHello, wait for the limit, so servers pair the
// parser with a read timeout. Errors are sticky until reset(). Feeding a message whole or in
// any number of pieces gives the same result.
// Thread safety: none; one connection's task uses it. It may move between threads between
//   calls.
// Cost:     no allocation, ever: the parser is 4.2 KiB inline, mostly 128 header views.
//   Each head byte is examined twice, once to find the blank line and once to parse; a
//   third time when the body arrives in a later call than the head. Bytes of a partial head
//   are never searched again. Chunk framing bytes are examined once, one at a time; chunk
//   data is skipped, not read.
// Example:  runtime/tests/http_parser_test.cpp
class RequestParser {
 public:
  explicit RequestParser(Limits limits = {}) noexcept;

  ParseResult parse(std::string_view buffered) noexcept;
  // The request of the last `complete` result. Valid until the next parse() or reset(), and
  // only while the buffer still holds its bytes at the same place.
  [[nodiscard]] const Request& request() const noexcept { return request_; }
  // After a need_more: the request whose head is parsed while its body is still arriving
  // (method, target, headers, expect_continue; body and chunked_body empty), else nullptr.
  // A server reads it to answer "Expect: 100-continue" before the body. Its views point into
  // the buffer of the parse() call that parsed the head: read it right after the first
  // need_more that shows it, before the buffer moves.
  [[nodiscard]] const Request* pending_head() const noexcept {
    return scan_.head_end != 0 ? &request_ : nullptr;
  }
  // Forgets a partial request or a sticky error; the next parse() starts a new request.
  void reset() noexcept;
  [[nodiscard]] const Limits& limits() const noexcept { return limits_; }

 private:
  Limits limits_;
  detail::HeadScan scan_;
  ParseResult error_;  // status error once one was found
  Request request_;
};

// One response as ResponseParser found it. Every view points into the buffer given to parse().
struct Response {
  int version_minor = 1;  // HTTP/1.<version_minor>: 0 or 1
  int status = 0;         // 100..999
  std::string_view reason;
  HeaderList headers;
  std::string_view body;   // Content-Length bytes; empty for 1xx, 204, 304 and HEAD answers
  bool keep_alive = true;  // the same rules as Request::keep_alive
};

// The load generator's side: an incremental, zero-copy HTTP/1.1 response parser, with the
// same buffer contract as RequestParser. A body must be framed by Content-Length (or absent:
// 1xx, 204, 304, a HEAD answer); chunked and close-delimited bodies are errors, since the
// servers under test never send them. Every error has error_status 502.
// Thread safety: none; one connection's task uses it.
// Cost:     no allocation; each head byte is examined twice, as in RequestParser.
// Example:  runtime/tests/http_parser_test.cpp
class ResponseParser {
 public:
  explicit ResponseParser(Limits limits = {}) noexcept;

  // `head_request`: the response answers a HEAD request, so it has no body whatever
  // Content-Length says. Pass the same value for every call about one response.
  ParseResult parse(std::string_view buffered, bool head_request = false) noexcept;
  [[nodiscard]] const Response& response() const noexcept { return response_; }
  void reset() noexcept;
  [[nodiscard]] const Limits& limits() const noexcept { return limits_; }

 private:
  Limits limits_;
  detail::HeadScan scan_;
  ParseResult error_;
  Response response_;
};

// The reason phrase of a status code ("OK", "Not Found", ...), or "" for a code without one.
[[nodiscard]] std::string_view status_text(int status) noexcept;

// Writes a response head into `out`:
//   HTTP/1.1 <status> <status_text>\r\n
//   Content-Type: <content_type>\r\n          (left out when content_type is empty)
//   Content-Length: <content_length>\r\n
//   Connection: close\r\n                     (only when !keep_alive)
//   <extra_headers>                           (verbatim: whole lines, each ending in \r\n)
//   \r\n
// An HTTP/1.0 client kept alive needs "Connection: keep-alive\r\n" in extra_headers.
// Returns the bytes written, or 0 when `out` is too small or status is not 100..999 (the
// contents of `out` are then unspecified). No allocation.
std::size_t write_response_head(std::span<char> out, int status, std::string_view content_type,
                                std::size_t content_length, bool keep_alive,
                                std::string_view extra_headers = {}) noexcept;

// The header lines a server adds to a reply after write_response_head's own, built in place
// for its extra_headers: "Server: <server>", "Date: <IMF-fixdate>", "Connection: keep-alive"
// when an HTTP/1.0 client is kept alive (1.1 keeps alive by default), and "Allow: <allow>"
// when allow is not empty. corio's server (net::http::serve) and the suite's other C++ servers
// (workloads/io/http_plaintext) send these lines; this is their one spelling. The Date line is
// formatted when the second changes, once per thread (time() is a vDSO call, not a system
// call). No allocation.
class ReplyHeaderLines {
 public:
  // Longest Server value and Allow list kept; a longer one is left out of the lines.
  static constexpr std::size_t kMaxServerBytes = 16;
  static constexpr std::size_t kMaxAllowBytes = 64;  // net::http::Reply::allow's contract
  // Most bytes the lines take.
  static constexpr std::size_t kMaxBytes = 160;

  ReplyHeaderLines(std::string_view server, bool http10_keep_alive,
                   std::string_view allow = {}) noexcept;
  [[nodiscard]] std::string_view view() const noexcept { return {bytes_.data(), size_}; }

 private:
  void add(std::string_view text) noexcept;

  std::array<char, kMaxBytes> bytes_;  // the first size_ are written; the rest never read
  std::size_t size_ = 0;
};

// Writes a request head without a body, for the load generator:
//   <method> <target> HTTP/1.1\r\nHost: <host>\r\n[Connection: close\r\n]\r\n
// Returns the bytes written, or 0 when `out` is too small. No allocation.
std::size_t write_request_head(std::span<char> out, std::string_view method,
                               std::string_view target, std::string_view host,
                               bool keep_alive) noexcept;

// Writes `time` as an IMF-fixdate (the Date header's format) into the first kHttpDateSize
// bytes of `out`: "Sun, 06 Nov 1994 08:49:37 GMT". Returns kHttpDateSize, or 0 when `out` is
// too small. Servers format it once a second, not once per response.
std::size_t write_http_date(std::span<char> out, std::time_t time) noexcept;

// The raw (not percent-decoded) value of the first `key=value` pair of a query string
// ("ms=5&x=1"), "" for a bare `key`, or nullopt when absent.
[[nodiscard]] std::optional<std::string_view> find_query_param(std::string_view query,
                                                               std::string_view key) noexcept;

}  // namespace corio::net::http
