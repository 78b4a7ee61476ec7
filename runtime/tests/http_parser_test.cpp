// Tables of inputs and expected results, in llhttp's style; every input is also fed split at
// every byte boundary (first the part before the boundary, from its own copy, then the whole
// buffer) and must give the same result. The fuzz corpus is replayed here too.
#include <algorithm>
#include <array>
#include <cstddef>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <corio/net/http_parser.hpp>

namespace {

namespace http = corio::net::http;
using http::ParseStatus;
using namespace std::string_view_literals;

// A parser owns no heap memory: a server keeps one per connection with no allocation.
static_assert(std::is_trivially_destructible_v<http::RequestParser>);
static_assert(std::is_trivially_destructible_v<http::ResponseParser>);

// One result of parse() as values: a complete message's fields, or the final need_more
// (with the bytes left over) or error.
struct Outcome {
  ParseStatus status = ParseStatus::need_more;
  std::size_t consumed = 0;
  int error_status = 0;
  std::string error_reason;
  std::string method_or_status;  // request method, or response status code
  std::string target;            // request target, or response reason
  std::string path;
  std::string query;
  int version_minor = 0;
  bool keep_alive = false;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // or, for the final need_more, the bytes left over

  bool operator==(const Outcome&) const = default;
};

void PrintTo(const Outcome& outcome, std::ostream* os) {
  *os << "{status " << static_cast<int>(outcome.status) << ", consumed " << outcome.consumed
      << ", error " << outcome.error_status << " \"" << outcome.error_reason << "\", "
      << outcome.method_or_status << " " << outcome.target << " 1." << outcome.version_minor
      << (outcome.keep_alive ? " keep-alive" : " close") << ", " << outcome.headers.size()
      << " headers, body \"" << outcome.body << "\"}";
}

std::vector<std::pair<std::string, std::string>> copy_headers(const http::HeaderList& list) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (const http::Header& header : list) headers.emplace_back(header.name, header.value);
  return headers;
}

Outcome outcome_of(const http::ParseResult& result, const http::RequestParser& parser) {
  Outcome outcome;
  outcome.status = result.status;
  outcome.consumed = result.consumed;
  outcome.error_status = result.error_status;
  outcome.error_reason = result.error_reason;
  if (result.status != ParseStatus::complete) return outcome;
  const http::Request& request = parser.request();
  outcome.method_or_status = request.method;
  outcome.target = request.target;
  outcome.path = request.path;
  outcome.query = request.query;
  outcome.version_minor = request.version_minor;
  outcome.keep_alive = request.keep_alive;
  outcome.headers = copy_headers(request.headers);
  outcome.body = request.body;
  return outcome;
}

Outcome outcome_of(const http::ParseResult& result, const http::ResponseParser& parser) {
  Outcome outcome;
  outcome.status = result.status;
  outcome.consumed = result.consumed;
  outcome.error_status = result.error_status;
  outcome.error_reason = result.error_reason;
  if (result.status != ParseStatus::complete) return outcome;
  const http::Response& response = parser.response();
  outcome.method_or_status = std::to_string(response.status);
  outcome.target = response.reason;
  outcome.version_minor = response.version_minor;
  outcome.keep_alive = response.keep_alive;
  outcome.headers = copy_headers(response.headers);
  outcome.body = response.body;
  return outcome;
}

// Parses `input` as a server does (parse, drop `consumed` bytes, parse the rest), with the
// bytes arriving as the prefixes input[0, b) for each boundary b, then whole. Returns every
// complete message, then the final need_more or error.
template <class Parser>
std::vector<Outcome> feed(std::string_view input, const std::vector<std::size_t>& boundaries,
                          const http::Limits& limits = {}) {
  Parser parser(limits);
  std::vector<Outcome> outcomes;
  std::size_t pos = 0;
  for (std::size_t boundary : boundaries) {
    const std::string piece(input.substr(0, boundary));  // its own copy: the buffer moves
    for (;;) {
      const http::ParseResult result = parser.parse(std::string_view(piece).substr(pos));
      if (result.status == ParseStatus::need_more) break;
      outcomes.push_back(outcome_of(result, parser));
      if (result.status == ParseStatus::error) return outcomes;
      pos += result.consumed;
    }
  }
  for (;;) {
    const http::ParseResult result = parser.parse(input.substr(pos));
    outcomes.push_back(outcome_of(result, parser));
    if (result.status == ParseStatus::need_more) outcomes.back().body = input.substr(pos);
    if (result.status != ParseStatus::complete) return outcomes;
    pos += result.consumed;
  }
}

// Checks that every split of `input` gives `whole`; `stride` > 1 skips boundaries in long
// inputs (though never those near the default head limit).
template <class Parser>
void expect_same_at_every_split(std::string_view input, const std::vector<Outcome>& whole,
                                const http::Limits& limits = {}, std::size_t stride = 1) {
  for (std::size_t split = 0; split <= input.size(); ++split) {
    const bool near_limit = split + 2 >= 8192 && split <= 8192 + 2;
    if (split % stride != 0 && !near_limit && split != input.size()) continue;
    ASSERT_EQ(feed<Parser>(input, {split}, limits), whole) << "split at byte " << split;
  }
}

struct ExpectedRequest {
  std::string_view method;
  std::string_view target;
  int version_minor = 1;
  bool keep_alive = true;
  std::string_view body = {};
};

struct ValidRequestCase {
  std::string_view name;
  std::string input;
  std::vector<ExpectedRequest> requests;
};

struct InvalidRequestCase {
  std::string_view name;
  std::string input;
  int status;
  std::string_view reason;
};

std::string many_headers(int count) {
  std::string headers;
  for (int i = 0; i < count; ++i) headers += "X-Header-" + std::to_string(i) + ": value\r\n";
  return headers;
}

const std::string kGet = "GET /plaintext HTTP/1.1\r\nHost: localhost\r\n\r\n";
const std::string kGetClose = "GET /bye HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
const std::string kPost = "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello";
const std::string k128Headers = "GET / HTTP/1.1\r\nHost: h\r\n" + many_headers(127) + "\r\n";
const std::string k129Headers = "GET / HTTP/1.1\r\nHost: h\r\n" + many_headers(128) + "\r\n";

// NOLINTBEGIN(modernize-use-designated-initializers): positional rows read as a table
const std::vector<ValidRequestCase>& valid_requests() {
  static const std::vector<ValidRequestCase> cases = {
      {"GET without a query", kGet, {{"GET", "/plaintext"}}},
      {"GET with a query",
       "GET /delay?ms=20&x= HTTP/1.1\r\nHost: h\r\n\r\n",
       {{"GET", "/delay?ms=20&x="}}},
      {"HEAD", "HEAD / HTTP/1.1\r\nHost: h\r\n\r\n", {{"HEAD", "/"}}},
      {"POST with a body", kPost, {{"POST", "/echo", 1, true, "hello"}}},
      {"POST with Content-Length 0",
       "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n",
       {{"POST", "/"}}},
      {"Content-Length with leading zeros",
       "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 003\r\n\r\nabc",
       {{"POST", "/", 1, true, "abc"}}},
      {"Content-Length repeated with the same value",
       "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nok",
       {{"POST", "/", 1, true, "ok"}}},
      {"HTTP/1.1 keeps alive by default", kGet, {{"GET", "/plaintext", 1, true}}},
      {"HTTP/1.1 with Connection: close", kGetClose, {{"GET", "/bye", 1, false}}},
      {"HTTP/1.1 with close in a Connection list",
       "GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, CLOSE\r\n\r\n",
       {{"GET", "/", 1, false}}},
      {"HTTP/1.0 closes by default", "GET / HTTP/1.0\r\n\r\n", {{"GET", "/", 0, false}}},
      {"HTTP/1.0 with Connection: keep-alive",
       "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
       {{"GET", "/", 0, true}}},
      {"HTTP/1.0 with both keep-alive and close",
       "GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n",
       {{"GET", "/", 0, false}}},
      {"two pipelined requests",
       kGet + kPost,
       {{"GET", "/plaintext"}, {"POST", "/echo", 1, true, "hello"}}},
      {"three pipelined requests",
       kPost + kGet + kGetClose,
       {{"POST", "/echo", 1, true, "hello"}, {"GET", "/plaintext"}, {"GET", "/bye", 1, false}}},
      {"empty lines before the request line", "\r\n\r\n" + kGet, {{"GET", "/plaintext"}}},
      {"header names in any case",
       "GET / HTTP/1.1\r\nhOST: h\r\ncONNECTION: close\r\n\r\n",
       {{"GET", "/", 1, false}}},
      {"128 headers, the maximum", k128Headers, {{"GET", "/"}}},
      {"absolute-form target",
       "GET http://example.com/a?b HTTP/1.1\r\nHost: example.com\r\n\r\n",
       {{"GET", "http://example.com/a?b"}}},
      {"asterisk-form target", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", {{"OPTIONS", "*"}}},
      {"any token method", "M-SEARCH / HTTP/1.1\r\nHost: h\r\n\r\n", {{"M-SEARCH", "/"}}},
      {"empty and whitespace-only header values",
       "GET / HTTP/1.1\r\nHost: h\r\nX-Empty:\r\nX-Blank: \t \r\n\r\n",
       {{"GET", "/"}}},
      {"obs-text in a header value",
       "GET / HTTP/1.1\r\nHost: h\r\nX-Name: caf\xc3\xa9\r\n\r\n",
       {{"GET", "/"}}},
  };
  return cases;
}

const std::vector<InvalidRequestCase>& invalid_requests() {
  const std::string host = "Host: h\r\n";
  const std::string post = "POST / HTTP/1.1\r\n" + host;
  const std::string get = "GET / HTTP/1.1\r\n" + host;
  static const std::vector<InvalidRequestCase> cases = {
      {"bare LF line endings", "GET / HTTP/1.1\nHost: h\n\n", 400, "LF without a CR before it"},
      {"bare LF in a header line", get + "X: y\n\r\n", 400, "LF without a CR before it"},
      {"bare CR ending the request line", "GET / HTTP/1.1\r" + host + "\r\n", 400,
       "malformed HTTP version"},
      {"CR inside a header value", get + "X: a\rb\r\n\r\n", 400,
       "invalid character in a header value"},
      {"NUL in a header value", get + std::string("X: a\0b\r\n\r\n"sv), 400,
       "invalid character in a header value"},
      {"DEL in a header value", get + "X: a\x7f\r\n\r\n", 400,
       "invalid character in a header value"},
      {"NUL in the target", std::string("GET /\0 HTTP/1.1\r\n"sv) + host + "\r\n", 400,
       "invalid character in request target"},
      {"non-ASCII in the target", "GET /caf\xc3\xa9 HTTP/1.1\r\n" + host + "\r\n", 400,
       "invalid character in request target"},
      {"non-token method", "G@T / HTTP/1.1\r\n" + host + "\r\n", 400,
       "invalid character in method"},
      {"control byte in the method", "G\x01T / HTTP/1.1\r\n" + host + "\r\n", 400,
       "invalid character in method"},
      {"space before the method", " GET / HTTP/1.1\r\n" + host + "\r\n", 400, "empty method"},
      {"two spaces after the method", "GET  / HTTP/1.1\r\n" + host + "\r\n", 400,
       "empty request target"},
      {"space after the version", "GET / HTTP/1.1 \r\n" + host + "\r\n", 400,
       "malformed HTTP version"},
      {"lower-case HTTP name", "GET / http/1.1\r\n" + host + "\r\n", 400, "malformed HTTP version"},
      {"two-digit major version", "GET / HTTP/11.1\r\n" + host + "\r\n", 400,
       "malformed HTTP version"},
      {"HTTP/0.9 request line without version", "GET /\r\n\r\n", 400,
       "request line without an HTTP version"},
      {"request line of one word", "GET\r\n\r\n", 400, "request line without a target"},
      {"Content-Length and Transfer-Encoding",
       post + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG", 400,
       "both Transfer-Encoding and Content-Length"},
      {"Transfer-Encoding then Content-Length",
       post + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400,
       "both Transfer-Encoding and Content-Length"},
      {"Content-Length repeated with another value",
       post + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400,
       "Content-Length repeated with a different value"},
      {"Content-Length list", post + "Content-Length: 3, 3\r\n\r\n", 400, "invalid Content-Length"},
      {"negative Content-Length", post + "Content-Length: -1\r\n\r\n", 400,
       "invalid Content-Length"},
      {"Content-Length with a sign", post + "Content-Length: +1\r\n\r\n", 400,
       "invalid Content-Length"},
      {"hexadecimal Content-Length", post + "Content-Length: 0x1\r\n\r\n", 400,
       "invalid Content-Length"},
      {"empty Content-Length", post + "Content-Length:\r\n\r\n", 400, "invalid Content-Length"},
      {"space before a colon", post + "Content-Length : 1\r\n\r\nx", 400,
       "whitespace before a header's colon"},
      {"obs-fold", get + "X: a\r\n b\r\n\r\n", 400, "header line starts with whitespace"},
      {"whitespace before the first header", "GET / HTTP/1.1\r\n Host: h\r\n\r\n", 400,
       "header line starts with whitespace"},
      {"header line without a colon", get + "NoColon\r\n\r\n", 400, "header line without a colon"},
      {"non-token header name", get + "X(y): z\r\n\r\n", 400, "invalid character in a header name"},
      {"empty header name", get + ": x\r\n\r\n", 400, "empty header name"},
      {"HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", 400,
       "HTTP/1.1 request without a Host header"},
      {"two Host headers", get + "Host: evil\r\n\r\n", 400, "more than one Host header"},
      {"Transfer-Encoding in HTTP/1.0",
       "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
       "Transfer-Encoding in an HTTP/1.0 request"},
      {"a valid request then a bad one", kGet + "GET / HTTP/1.1\nHost: h\n\n", 400,
       "LF without a CR before it"},
      {"Content-Length above 1 MiB", post + "Content-Length: 1048577\r\n\r\n", 413,
       "Content-Length above the body limit"},
      {"Content-Length beyond 64 bits", post + "Content-Length: 99999999999999999999999\r\n\r\n",
       413, "Content-Length above the body limit"},
      {"request line past 8 KiB", "GET /" + std::string(9000, 'a'), 414,
       "request line longer than the head limit"},
      {"header past 8 KiB", get + "X-Big: " + std::string(8200, 'b') + "\r\n\r\n", 431,
       "request head larger than the limit"},
      {"129 headers", k129Headers, 431, "too many header fields"},
      {"gzip before chunked", post + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501,
       "transfer coding other than chunked"},
      {"HTTP/2.0", "GET / HTTP/2.0\r\n" + host + "\r\n", 505, "HTTP version other than 1.x"},
      {"HTTP/0.9 with a version", "GET / HTTP/0.9\r\n" + host + "\r\n", 505,
       "HTTP version other than 1.x"},
  };
  return cases;
}

// NOLINTEND(modernize-use-designated-initializers)

TEST(HttpRequestParser, ValidRequestsParseTheSameWholeAndSplitAtEveryByte) {
  for (const ValidRequestCase& test : valid_requests()) {
    SCOPED_TRACE(test.name);
    const std::vector<Outcome> whole = feed<http::RequestParser>(test.input, {});
    ASSERT_EQ(whole.size(), test.requests.size() + 1);
    std::size_t consumed = 0;
    for (std::size_t i = 0; i < test.requests.size(); ++i) {
      const ExpectedRequest& expected = test.requests[i];
      EXPECT_EQ(whole[i].status, ParseStatus::complete);
      EXPECT_EQ(whole[i].method_or_status, expected.method);
      EXPECT_EQ(whole[i].target, expected.target);
      EXPECT_EQ(whole[i].version_minor, expected.version_minor);
      EXPECT_EQ(whole[i].keep_alive, expected.keep_alive);
      EXPECT_EQ(whole[i].body, expected.body);
      consumed += whole[i].consumed;
    }
    EXPECT_EQ(consumed, test.input.size());
    EXPECT_EQ(whole.back(), Outcome{}) << "need_more with nothing left over";
    expect_same_at_every_split<http::RequestParser>(test.input, whole);
  }
}

TEST(HttpRequestParser, InvalidRequestsGetTheirStatusWholeAndSplitAtEveryByte) {
  for (const InvalidRequestCase& test : invalid_requests()) {
    SCOPED_TRACE(test.name);
    const std::vector<Outcome> whole = feed<http::RequestParser>(test.input, {});
    ASSERT_FALSE(whole.empty());
    EXPECT_EQ(whole.back().status, ParseStatus::error);
    EXPECT_EQ(whole.back().error_status, test.status);
    EXPECT_EQ(whole.back().error_reason, test.reason);
    expect_same_at_every_split<http::RequestParser>(test.input, whole);
  }
}

TEST(HttpRequestParser, ByteByByteFeedingGivesTheSameRequests) {
  const std::string input = "\r\n" + kPost + kGet + k128Headers + kGetClose;
  std::vector<std::size_t> every_prefix(input.size() + 1);
  for (std::size_t i = 0; i < every_prefix.size(); ++i) every_prefix[i] = i;
  const std::vector<Outcome> whole = feed<http::RequestParser>(input, {});
  ASSERT_EQ(whole.size(), 5U);
  EXPECT_EQ(feed<http::RequestParser>(input, every_prefix), whole);
}

TEST(HttpRequestParser, PathQueryAndHeadersAreSplitOut) {
  http::RequestParser parser;
  const std::string_view input =
      "GET /delay?ms=20&q=a?b HTTP/1.1\r\nHost:  example.com \r\nX-Tab:\tv\t\r\n\r\n";
  ASSERT_EQ(parser.parse(input).status, ParseStatus::complete);
  const http::Request& request = parser.request();
  EXPECT_EQ(request.path, "/delay");
  EXPECT_EQ(request.query, "ms=20&q=a?b");
  ASSERT_EQ(request.headers.size(), 2U);
  EXPECT_EQ(request.headers[0].name, "Host");
  EXPECT_EQ(request.headers[0].value, "example.com");
  EXPECT_EQ(request.headers[1].value, "v");
  EXPECT_EQ(http::find_query_param(request.query, "ms"), "20");
  EXPECT_EQ(http::find_query_param(request.query, "q"), "a?b");
  EXPECT_EQ(http::find_query_param(request.query, "m"), std::nullopt);
  EXPECT_EQ(http::find_query_param("flag&x=1", "flag"), "");
}

TEST(HttpRequestParser, HeaderLookupIgnoresCase) {
  http::RequestParser parser;
  ASSERT_EQ(parser.parse("GET / HTTP/1.1\r\ncOnTeNt-TyPe: text/plain\r\nHOST: h\r\n\r\n").status,
            ParseStatus::complete);
  const http::HeaderList& headers = parser.request().headers;
  EXPECT_EQ(headers.find("content-type"), "text/plain");
  EXPECT_EQ(headers.find("CONTENT-TYPE"), "text/plain");
  EXPECT_EQ(headers.find("host"), "h");
  EXPECT_EQ(headers.find("content-length"), std::nullopt);
  EXPECT_EQ(headers[0].name, "cOnTeNt-TyPe") << "names are kept as sent";
}

TEST(HttpRequestParser, ViewsPointIntoTheCallersBuffer) {
  const std::string buffer = kPost + kGet;
  http::RequestParser parser;
  const http::ParseResult first = parser.parse(buffer);
  ASSERT_EQ(first.status, ParseStatus::complete);
  EXPECT_EQ(first.consumed, kPost.size());
  const http::Request& request = parser.request();
  EXPECT_EQ(request.method.data(), buffer.data());
  EXPECT_EQ(request.body.data(), buffer.data() + kPost.size() - 5);
  EXPECT_EQ(request.headers[0].name.data(), buffer.data() + buffer.find("Host"));

  const http::ParseResult second = parser.parse(std::string_view(buffer).substr(first.consumed));
  ASSERT_EQ(second.status, ParseStatus::complete);
  EXPECT_EQ(parser.request().method.data(), buffer.data() + kPost.size());
}

TEST(HttpRequestParser, BodyArrivingAfterTheBufferMovedIsViewedInTheNewBuffer) {
  http::RequestParser parser;
  const std::string head_only = kPost.substr(0, kPost.size() - 5);
  EXPECT_EQ(parser.parse(head_only).status, ParseStatus::need_more);
  const std::string moved = kPost;  // the connection's buffer grew and moved
  ASSERT_EQ(parser.parse(moved).status, ParseStatus::complete);
  const http::Request& request = parser.request();
  EXPECT_EQ(request.method.data(), moved.data());
  EXPECT_EQ(request.headers.find("host").value_or("").data(), moved.data() + moved.find("h\r\n"));
  EXPECT_EQ(request.body, "hello");
  EXPECT_EQ(request.body.data(), moved.data() + moved.size() - 5);
}

TEST(HttpRequestParser, ErrorIsStickyUntilReset) {
  http::RequestParser parser;
  const http::ParseResult error = parser.parse("GET / HTTP/1.1\n");
  EXPECT_EQ(error.status, ParseStatus::error);
  EXPECT_EQ(error.error_status, 400);
  EXPECT_FALSE(error.error_reason.empty());
  EXPECT_EQ(parser.parse(kGet), error);
  parser.reset();
  EXPECT_EQ(parser.parse(kGet).status, ParseStatus::complete);
}

TEST(HttpRequestParser, HeadOfExactlyTheLimitIsAcceptedAndOneByteMoreIsNot) {
  const http::Limits limits{.max_head_bytes = kGet.size()};
  EXPECT_EQ(feed<http::RequestParser>(kGet, {}, limits).front().status, ParseStatus::complete);
  const std::string longer = "GET /plaintextx HTTP/1.1\r\nHost: localhost\r\n\r\n";
  const std::vector<Outcome> too_long = feed<http::RequestParser>(longer, {}, limits);
  EXPECT_EQ(too_long.front().error_status, 431);
  expect_same_at_every_split<http::RequestParser>(longer, too_long, limits);
  // Only a head that is certainly too long is refused: its first limit bytes are not enough.
  EXPECT_EQ(feed<http::RequestParser>(longer.substr(0, kGet.size()), {}, limits).back().status,
            ParseStatus::need_more);
}

TEST(HttpRequestParser, LimitsAreConfigurable) {
  const http::Limits limits{.max_head_bytes = 64, .max_body_bytes = 4, .max_headers = 2};
  const auto first = [&limits](std::string_view input) {
    const std::vector<Outcome> outcomes = feed<http::RequestParser>(input, {}, limits);
    expect_same_at_every_split<http::RequestParser>(input, outcomes, limits);
    return outcomes.front();
  };
  EXPECT_EQ(first("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nabcd").body, "abcd");
  EXPECT_EQ(first("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nabcde").error_status,
            413);
  EXPECT_EQ(first("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n").error_status, 431);
  EXPECT_EQ(first("GET /" + std::string(64, 'x')).error_status, 414);
  EXPECT_EQ(first("GET / HTTP/1.1\r\nHost: " + std::string(64, 'x')).error_status, 431);
  // Empty lines before the request line count towards the head limit.
  std::string empty_lines;
  for (int i = 0; i < 33; ++i) empty_lines += "\r\n";
  EXPECT_EQ(first(empty_lines).error_status, 414);
}

TEST(HttpRequestParser, WrittenRequestHeadParsesBack) {
  std::array<char, 128> out{};
  const std::size_t size = http::write_request_head(out, "GET", "/delay?ms=5", "127.0.0.1:80",
                                                    /*keep_alive=*/false);
  const std::string_view head(out.data(), size);
  EXPECT_EQ(head, "GET /delay?ms=5 HTTP/1.1\r\nHost: 127.0.0.1:80\r\nConnection: close\r\n\r\n");
  http::RequestParser parser;
  const http::ParseResult result = parser.parse(head);
  ASSERT_EQ(result.status, ParseStatus::complete);
  EXPECT_EQ(result.consumed, size);
  EXPECT_EQ(parser.request().query, "ms=5");
  EXPECT_FALSE(parser.request().keep_alive);
  EXPECT_EQ(http::write_request_head(std::span<char>(out).first(20), "GET", "/", "h", true), 0U);
}

// Replays runtime/fuzz/corpus/http_parser: each file's name starts with what the connection
// ends in: "ok" (every request complete), "more" (waiting for bytes) or the error status.
TEST(HttpRequestParser, CorpusFilesGiveTheStatusInTheirNameWholeAndSplit) {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(CORIO_HTTP_CORPUS_DIR)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    std::ifstream file(entry.path(), std::ios::binary);
    const std::string input((std::istreambuf_iterator<char>(file)),
                            std::istreambuf_iterator<char>());
    const std::vector<Outcome> whole = feed<http::RequestParser>(input, {});
    const std::string expected = name.substr(0, name.find('-'));
    if (expected == "ok") {
      EXPECT_GE(whole.size(), 2U);
      EXPECT_EQ(whole.back(), Outcome{}) << "every byte consumed";
    } else if (expected == "more") {
      EXPECT_EQ(whole.back().status, ParseStatus::need_more);
      EXPECT_FALSE(whole.back().body.empty()) << "bytes left waiting";
    } else {
      EXPECT_EQ(whole.back().status, ParseStatus::error);
      EXPECT_EQ(std::to_string(whole.back().error_status), expected);
    }
    expect_same_at_every_split<http::RequestParser>(input, whole, {},
                                                    std::max<std::size_t>(1, input.size() / 256));
    // Each complete request parses the same on its own, from another buffer.
    std::size_t pos = 0;
    for (const Outcome& outcome : whole) {
      if (outcome.status != ParseStatus::complete) break;
      const std::string alone = input.substr(pos, outcome.consumed);
      EXPECT_EQ(feed<http::RequestParser>(alone, {}).front(), outcome);
      pos += outcome.consumed;
    }
  }
  EXPECT_GE(files, 30U);
}

struct ValidResponseCase {
  std::string_view name;
  std::string_view input;
  bool head_request;
  int status;
  std::string_view body;
  bool keep_alive;
};

TEST(HttpResponseParser, ValidResponsesParseTheSameWholeAndSplitAtEveryByte) {
  // NOLINTBEGIN(modernize-use-designated-initializers): positional rows read as a table
  const std::vector<ValidResponseCase> cases = {
      {"200 with a body",
       "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\nHello, World!",
       false, 200, "Hello, World!", true},
      {"HTTP/1.1 with Connection: close",
       "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", false, 200, "ok",
       false},
      {"HTTP/1.0 closes by default", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", false, 200,
       "ok", false},
      {"HTTP/1.0 with keep-alive",
       "HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n", false, 200, "",
       true},
      {"204 has no body", "HTTP/1.1 204 No Content\r\n\r\n", false, 204, "", true},
      {"304 ignores Content-Length", "HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n",
       false, 304, "", true},
      {"an answer to HEAD has no body", "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n", true, 200,
       "", true},
      {"100 Continue", "HTTP/1.1 100 Continue\r\n\r\n", false, 100, "", true},
      {"empty reason phrase", "HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n", false, 404, "", true},
      {"no space before an empty reason", "HTTP/1.1 503\r\nContent-Length: 1\r\n\r\nx", false, 503,
       "x", true},
  };
  // NOLINTEND(modernize-use-designated-initializers)
  for (const ValidResponseCase& test : cases) {
    SCOPED_TRACE(test.name);
    http::ResponseParser parser;
    const http::ParseResult result = parser.parse(test.input, test.head_request);
    ASSERT_EQ(result.status, ParseStatus::complete);
    EXPECT_EQ(result.consumed, test.input.size());
    EXPECT_EQ(parser.response().status, test.status);
    EXPECT_EQ(parser.response().body, test.body);
    EXPECT_EQ(parser.response().keep_alive, test.keep_alive);
    for (std::size_t split = 0; split <= test.input.size(); ++split) {
      http::ResponseParser split_parser;
      const std::string part(test.input.substr(0, split));
      const http::ParseResult first = split_parser.parse(part, test.head_request);
      if (first.status == ParseStatus::complete) {
        EXPECT_EQ(first, result) << "split at byte " << split;
        continue;
      }
      ASSERT_EQ(first.status, ParseStatus::need_more) << "split at byte " << split;
      EXPECT_EQ(split_parser.parse(test.input, test.head_request), result)
          << "split at byte " << split;
      EXPECT_EQ(split_parser.response().body, test.body);
    }
  }
}

TEST(HttpResponseParser, PipelinedResponsesParseTheSameWholeAndSplitAtEveryByte) {
  const std::string_view input =
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirstHTTP/1.1 200 OK\r\ncontent-length: 6"
      "\r\n\r\nsecondHTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
  const std::vector<Outcome> whole = feed<http::ResponseParser>(input, {});
  ASSERT_EQ(whole.size(), 4U);
  EXPECT_EQ(whole[0].body, "first");
  EXPECT_EQ(whole[1].body, "second");
  EXPECT_EQ(whole[2].method_or_status, "204");
  EXPECT_FALSE(whole[2].keep_alive);
  EXPECT_EQ(whole[3], Outcome{});
  expect_same_at_every_split<http::ResponseParser>(input, whole);
}

TEST(HttpResponseParser, UnsupportedOrMalformedResponsesAreErrors) {
  const std::vector<std::pair<std::string_view, std::string_view>> cases = {
      {"chunked body", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
      {"close-delimited body", "HTTP/1.1 200 OK\r\n\r\nuntil close"},
      {"body above the limit", "HTTP/1.1 200 OK\r\nContent-Length: 1048577\r\n\r\n"},
      {"Content-Length values differ",
       "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx"},
      {"status code of two digits", "HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n"},
      {"status code below 100", "HTTP/1.1 099 Odd\r\nContent-Length: 0\r\n\r\n"},
      {"HTTP/2.0", "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"},
      {"no space after the version", "HTTP/1.1200 OK\r\nContent-Length: 0\r\n\r\n"},
      {"bare LF", "HTTP/1.1 200 OK\nContent-Length: 0\n\n"},
      {"NUL in the reason", "HTTP/1.1 200 O\0K\r\nContent-Length: 0\r\n\r\n"sv},
      {"obs-fold", "HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n"},
  };
  for (const auto& [name, input] : cases) {
    SCOPED_TRACE(name);
    const std::vector<Outcome> whole = feed<http::ResponseParser>(input, {});
    EXPECT_EQ(whole.back().status, ParseStatus::error);
    EXPECT_EQ(whole.back().error_status, 502);
    expect_same_at_every_split<http::ResponseParser>(input, whole);
  }
}

TEST(HttpResponseParser, WrittenResponseHeadParsesBack) {
  std::array<char, 256> out{};
  const std::size_t size = http::write_response_head(out, 200, "text/plain", 13, true);
  std::string response(out.data(), size);
  EXPECT_EQ(response, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n");
  response += "Hello, World!";
  http::ResponseParser parser;
  const http::ParseResult result = parser.parse(response);
  ASSERT_EQ(result.status, ParseStatus::complete);
  EXPECT_EQ(result.consumed, response.size());
  EXPECT_EQ(parser.response().body, "Hello, World!");
  EXPECT_TRUE(parser.response().keep_alive);

  const std::size_t error_size =
      http::write_response_head(out, 431, {}, 0, false, "Server: corio\r\n");
  EXPECT_EQ(std::string_view(out.data(), error_size),
            "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n"
            "Connection: close\r\nServer: corio\r\n\r\n");
  parser.reset();
  ASSERT_EQ(parser.parse(std::string_view(out.data(), error_size)).status, ParseStatus::complete);
  EXPECT_EQ(parser.response().status, 431);
  EXPECT_FALSE(parser.response().keep_alive);
}

TEST(HttpResponseParser, HeadWritersRefuseABufferTooSmallOrABadStatus) {
  std::array<char, 256> out{};
  const std::size_t size = http::write_response_head(out, 200, "text/plain", 13, true);
  EXPECT_EQ(
      http::write_response_head(std::span<char>(out).first(size), 200, "text/plain", 13, true),
      size);
  EXPECT_EQ(
      http::write_response_head(std::span<char>(out).first(size - 1), 200, "text/plain", 13, true),
      0U);
  EXPECT_EQ(http::write_response_head(out, 99, {}, 0, true), 0U);
  EXPECT_EQ(http::write_response_head(out, 1000, {}, 0, true), 0U);
  const std::size_t unknown = http::write_response_head(out, 299, {}, 0, true);
  EXPECT_EQ(std::string_view(out.data(), unknown), "HTTP/1.1 299 \r\nContent-Length: 0\r\n\r\n");
}

TEST(HttpResponseParser, StatusTextNamesTheStatusesTheServersSend) {
  EXPECT_EQ(http::status_text(200), "OK");
  EXPECT_EQ(http::status_text(400), "Bad Request");
  EXPECT_EQ(http::status_text(404), "Not Found");
  EXPECT_EQ(http::status_text(413), "Content Too Large");
  EXPECT_EQ(http::status_text(414), "URI Too Long");
  EXPECT_EQ(http::status_text(431), "Request Header Fields Too Large");
  EXPECT_EQ(http::status_text(501), "Not Implemented");
  EXPECT_EQ(http::status_text(505), "HTTP Version Not Supported");
  EXPECT_EQ(http::status_text(299), "");
}

TEST(HttpResponseParser, HttpDateIsAnImfFixdate) {
  std::array<char, http::kHttpDateSize> out{};
  // RFC 9110 section 5.6.7's example: Sun, 06 Nov 1994 08:49:37 GMT.
  ASSERT_EQ(http::write_http_date(out, std::time_t{784111777}), http::kHttpDateSize);
  EXPECT_EQ(std::string_view(out.data(), out.size()), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(http::write_http_date(std::span<char>(out).first(28), std::time_t{0}), 0U);
}

// "Date: <IMF-fixdate>\r\n" for `second`.
std::string date_line_at(std::time_t second) {
  std::array<char, http::kHttpDateSize> date{};
  http::write_http_date(date, second);
  return "Date: " + std::string(date.data(), date.size()) + "\r\n";
}

TEST(ReplyHeaderLines, AreServerAndDateAndOnlyTheLinesAskedFor) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    const std::time_t before = std::time(nullptr);
    const http::ReplyHeaderLines plain("corio", false);
    const http::ReplyHeaderLines kept("bench", true);
    const http::ReplyHeaderLines allowing("corio", false, "GET, HEAD");
    if (std::time(nullptr) != before) continue;  // the second turned: the Date lines differ
    const std::string date = date_line_at(before);
    EXPECT_EQ(plain.view(), "Server: corio\r\n" + date);
    EXPECT_EQ(kept.view(), "Server: bench\r\n" + date + "Connection: keep-alive\r\n");
    EXPECT_EQ(allowing.view(), "Server: corio\r\n" + date + "Allow: GET, HEAD\r\n");
    return;
  }
  FAIL() << "the clock's second turned during each of 3 attempts";
}

TEST(ReplyHeaderLines, LeaveOutAServerOrAllowTooLongForTheirRoom) {
  const std::string server(http::ReplyHeaderLines::kMaxServerBytes + 1, 's');
  const std::string allow(http::ReplyHeaderLines::kMaxAllowBytes + 1, 'A');
  const http::ReplyHeaderLines lines(server, true, allow);
  // Only the Date and Connection lines remain.
  EXPECT_EQ(lines.view().size(), 6 + http::kHttpDateSize + 2 + 24);
  EXPECT_TRUE(lines.view().starts_with("Date: "));
  EXPECT_TRUE(lines.view().ends_with("\r\nConnection: keep-alive\r\n"));

  // At their limits both are kept, and the lines still fit their room.
  const std::string longest_server(http::ReplyHeaderLines::kMaxServerBytes, 's');
  const std::string longest_allow(http::ReplyHeaderLines::kMaxAllowBytes, 'A');
  const http::ReplyHeaderLines full(longest_server, true, longest_allow);
  EXPECT_TRUE(full.view().starts_with("Server: " + longest_server + "\r\n"));
  EXPECT_TRUE(full.view().ends_with("Allow: " + longest_allow + "\r\n"));
  EXPECT_LE(full.view().size(), http::ReplyHeaderLines::kMaxBytes);
}

}  // namespace
