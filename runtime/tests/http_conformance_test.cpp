// RFC 9112 conformance of corio's HTTP/1.1 server, in the style of llhttp's and h2o's request
// tables: each case is the bytes one connection sends, the statuses the server answers, in
// order, and whether the connection stays open after the last answer.
//
// Each case is checked twice:
//   - by RequestParser, whole and split at every byte boundary (each prefix from its own copy):
//     every split gives the same requests and the same final error, and that error (if any) is
//     the case's last status;
//   - end to end, through http::serve on 127.0.0.1 port 0: the bytes are written whole, then
//     again one byte per write, the client shuts down its sending side and reads to the end;
//     the answers' statuses must be the case's, and the last answer's Connection header tells
//     whether the server would have kept the connection open (it closes at once after an
//     error, so nothing after a rejected request is answered).
// A disabled test writes every case into the fuzz corpus (runtime/fuzz/corpus/http_parser).
#include <array>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <vector>

#include <gtest/gtest.h>

#include <corio/corio.hpp>
#include <corio/net/http_parser.hpp>
#include <corio/net/http_server.hpp>

#include "http_test_routes.hpp"

namespace {

using corio::Task;
using corio::net::TcpListener;
using corio::net::TcpStream;
namespace http = corio::net::http;
using http::ParseStatus;
using namespace std::string_view_literals;

struct Case {
  std::string name;
  std::string input;
  std::vector<int> statuses;  // what the server answers, in order
  bool stays_open = true;     // after the last answer
  bool head = false;          // the requests are HEAD: their answers have no body
};

const std::string kHost = "Host: h\r\n";
const std::string kGet = "GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n";

// "<line>\r\n<headers>\r\n<body>": one request with the request line and header lines given.
std::string request(std::string_view line, std::string_view headers = "Host: h\r\n",
                    std::string_view body = {}) {
  return std::string(line) + "\r\n" + std::string(headers) + "\r\n" + std::string(body);
}
std::string get(std::string_view target) {
  return request("GET " + std::string(target) + " HTTP/1.1");
}
std::string post_chunked(std::string_view body, std::string_view target = "/x") {
  return request("POST " + std::string(target) + " HTTP/1.1",
                 "Host: h\r\nTransfer-Encoding: chunked\r\n", body);
}
std::string post_te(std::string_view te, std::string_view body = "0\r\n\r\n") {
  return request("POST /x HTTP/1.1", "Host: h\r\nTransfer-Encoding: " + std::string(te) + "\r\n",
                 body);
}
std::string with_header(std::string_view header_line) {
  return request("GET /plaintext HTTP/1.1", "Host: h\r\n" + std::string(header_line) + "\r\n");
}
std::string with_host(std::string_view host) {
  return request("GET /plaintext HTTP/1.1", "Host: " + std::string(host) + "\r\n");
}
std::string fields(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += "X-Field-" + std::to_string(i) + ": v\r\n";
  return text;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> table = [] {
    std::vector<Case> c;
    const auto ok = [&c](std::string name, std::string input, std::vector<int> statuses,
                         bool open = true) {
      c.push_back({std::move(name), std::move(input), std::move(statuses), open, false});
    };
    const auto bad = [&c](std::string name, std::string input, int status) {
      c.push_back({std::move(name), std::move(input), {status}, false, false});
    };
    // --- valid requests and routing -----------------------------------------------------
    ok("get plaintext", kGet, {200});
    c.push_back({"head plaintext", request("HEAD /plaintext HTTP/1.1"), {200}, true, true});
    ok("get delay 0", get("/delay?ms=0"), {200});
    ok("get delay without ms", get("/delay"), {400});
    ok("get delay with a bad ms", get("/delay?ms=x"), {400});
    ok("get unknown path", get("/nothing"), {404});
    ok("get root", get("/"), {404});
    ok("get double slash", get("//plaintext"), {404});
    ok("get percent-encoded path", get("/plain%74ext"), {404});
    ok("get path with sub-delims and colon", get("/a;b=c,d:e@f!$&'()*+"), {404});
    ok("get query with slash and question mark", get("/plaintext?a=/b?c"), {200});
    ok("get empty query", get("/plaintext?"), {200});
    ok("http/1.0 without host closes", "GET /plaintext HTTP/1.0\r\n\r\n", {200}, false);
    ok("http/1.0 keep-alive", "GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", {200});
    ok("connection close", with_header("Connection: close"), {200}, false);
    ok("connection list with close", with_header("Connection: foo, Close"), {200}, false);
    ok("connection keep-alive in 1.1", with_header("Connection: keep-alive"), {200});
    ok("empty lines before the request line", "\r\n\r\n" + kGet, {200});
    ok("header names in any case", request("GET /plaintext HTTP/1.1", "hOsT: h\r\n"), {200});
    ok("100 header fields", request("GET /plaintext HTTP/1.1", kHost + fields(99)), {200});
    ok("128 header fields", request("GET /plaintext HTTP/1.1", kHost + fields(127)), {200});
    ok("empty header value", with_header("X-Empty:"), {200});
    ok("whitespace-only header value", with_header("X-Blank: \t "), {200});
    ok("obs-text in a header value", with_header("X-Name: caf\xc3\xa9"), {200});
    ok("header value with tab inside", with_header("X-T: a\tb"), {200});
    ok("header value without space after colon", with_header("X-T:v"), {200});
    ok("unknown expectation ignored", with_header("Expect: something"), {200});
    ok("expect 100-continue without a body", with_header("Expect: 100-continue"), {200});
    ok("expect 100-continue with the body sent",
       request("GET /plaintext HTTP/1.1",
               "Host: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n", "ab"),
       {200});
    // --- absolute-form and asterisk-form targets ------------------------------------------
    ok("absolute-form", get("http://h/plaintext"), {200});
    ok("absolute-form https", get("https://h/plaintext"), {200});
    ok("absolute-form upper-case scheme", get("HTTP://h/plaintext"), {200});
    ok("absolute-form with a port", get("http://h:8080/plaintext"), {200});
    ok("absolute-form with a query", get("http://h/delay?ms=0"), {200});
    ok("absolute-form ipv6", get("http://[::1]:80/plaintext"), {200});
    ok("absolute-form ignores another host header", get("http://other/plaintext"), {200});
    ok("absolute-form empty path", get("http://h"), {404});
    ok("absolute-form empty path with a query", get("http://h?x=1"), {404});
    ok("absolute-form unknown path", get("http://h/nothing"), {404});
    bad("absolute-form empty host", get("http:///plaintext"), 400);
    bad("absolute-form userinfo", get("http://user@h/plaintext"), 400);
    bad("absolute-form other scheme", get("ftp://h/plaintext"), 400);
    bad("absolute-form bad port", get("http://h:8x/plaintext"), 400);
    bad("absolute-form bad ipv6", get("http://[::1/plaintext"), 400);
    bad("absolute-form without slashes", get("http:h/plaintext"), 400);
    bad("absolute-form bad path byte", get("http://h/a|b"), 400);
    ok("options asterisk", request("OPTIONS * HTTP/1.1"), {200});
    bad("get asterisk", get("*"), 400);
    bad("post asterisk", request("POST * HTTP/1.1"), 400);
    bad("asterisk with a path", request("OPTIONS *x HTTP/1.1"), 400);
    // --- methods ---------------------------------------------------------------------------
    ok("post to plaintext", request("POST /plaintext HTTP/1.1"), {405});
    ok("post to plaintext with a body",
       request("POST /plaintext HTTP/1.1", "Host: h\r\nContent-Length: 3\r\n", "abc"), {405});
    ok("put to plaintext", request("PUT /plaintext HTTP/1.1"), {405});
    ok("delete to plaintext", request("DELETE /plaintext HTTP/1.1"), {405});
    ok("patch to plaintext", request("PATCH /plaintext HTTP/1.1"), {405});
    ok("options to plaintext", request("OPTIONS /plaintext HTTP/1.1"), {405});
    ok("trace to plaintext", request("TRACE /plaintext HTTP/1.1"), {405});
    ok("post to delay", request("POST /delay?ms=0 HTTP/1.1"), {405});
    ok("post to an unknown path", request("POST /nothing HTTP/1.1"), {404});
    ok("lower-case get", request("get /plaintext HTTP/1.1"), {501});
    ok("mixed-case get", request("Get /plaintext HTTP/1.1"), {501});
    ok("unknown method", request("FOO /plaintext HTTP/1.1"), {501});
    ok("unknown method with a dash", request("M-SEARCH /plaintext HTTP/1.1"), {501});
    ok("connect authority-form", request("CONNECT h:443 HTTP/1.1"), {501});
    ok("connect ipv6 authority-form", request("CONNECT [::1]:443 HTTP/1.1"), {501});
    bad("connect origin-form", request("CONNECT /plaintext HTTP/1.1"), 400);
    bad("connect without a port", request("CONNECT h HTTP/1.1"), 400);
    bad("connect with an empty port", request("CONNECT h: HTTP/1.1"), 400);
    bad("authority-form with get", get("h:443"), 400);
    bad("method with @", request("G@T /plaintext HTTP/1.1"), 400);
    bad("method with a control byte", request("G\x01T /plaintext HTTP/1.1"), 400);
    bad("method with a NUL", request(std::string("G\0T /plaintext HTTP/1.1"sv)), 400);
    bad("method with a non-ascii byte", request("G\xc3\x89T /plaintext HTTP/1.1"), 400);
    bad("empty method", request(" /plaintext HTTP/1.1"), 400);
    bad("tab after the method", request("GET\t/plaintext HTTP/1.1"), 400);
    // --- request targets -------------------------------------------------------------------
    bad("percent alone", get("/%"), 400);
    bad("percent with one hex digit", get("/%4"), 400);
    bad("percent with non-hex", get("/%zz"), 400);
    bad("percent in the query", get("/plaintext?a=%g0"), 400);
    bad("fragment", get("/plaintext#frag"), 400);
    bad("double quote in the target", get("/a\"b"), 400);
    bad("less-than in the target", get("/a<b"), 400);
    bad("brace in the target", get("/a{b}"), 400);
    bad("pipe in the target", get("/a|b"), 400);
    bad("backslash in the target", get("/a\\b"), 400);
    bad("caret in the target", get("/a^b"), 400);
    bad("backtick in the target", get("/a`b"), 400);
    bad("target without a slash", get("plaintext"), 400);
    bad("relative target", get("a/b"), 400);
    bad("NUL in the target", request(std::string("GET /\0 HTTP/1.1"sv)), 400);
    bad("DEL in the target", get("/a\x7f"), 400);
    bad("non-ascii in the target", get("/caf\xc3\xa9"), 400);
    bad("tab in the target", get("/a\tb"), 400);
    bad("two spaces before the target", request("GET  /plaintext HTTP/1.1"), 400);
    bad("two spaces before the version", request("GET /plaintext  HTTP/1.1"), 400);
    // --- versions --------------------------------------------------------------------------
    ok("http/1.2 read as 1.1", request("GET /plaintext HTTP/1.2"), {200});
    ok("http/1.9 read as 1.1", request("GET /plaintext HTTP/1.9"), {200});
    bad("http/2.0", request("GET /plaintext HTTP/2.0"), 505);
    bad("http/0.9 with a version", request("GET /plaintext HTTP/0.9"), 505);
    bad("http/3.1", request("GET /plaintext HTTP/3.1"), 505);
    bad("lower-case http", request("GET /plaintext http/1.1"), 400);
    bad("two-digit major", request("GET /plaintext HTTP/11.1"), 400);
    bad("version without minor", request("GET /plaintext HTTP/1"), 400);
    bad("version with a suffix", request("GET /plaintext HTTP/1.1x"), 400);
    bad("space after the version", request("GET /plaintext HTTP/1.1 "), 400);
    bad("http/0.9 request", "GET /plaintext\r\n\r\n", 400);
    bad("request line of one word", "GET\r\n\r\n", 400);
    bad("request line without a method", request("/plaintext HTTP/1.1"), 400);
    // --- host ------------------------------------------------------------------------------
    bad("http/1.1 without host", "GET /plaintext HTTP/1.1\r\n\r\n", 400);
    bad("two host headers", with_header("Host: h"), 400);
    bad("two host headers with the same value", with_header("host: h"), 400);
    bad("host with a space", with_host("a b"), 400);
    bad("host with a slash", with_host("a/b"), 400);
    bad("host with userinfo", with_host("u@h"), 400);
    bad("host with a bad port", with_host("h:8x"), 400);
    bad("host with two colons", with_host("h:80:80"), 400);
    bad("host with an open bracket", with_host("[::1"), 400);
    bad("host with a bad percent", with_host("a%zz"), 400);
    bad("host with a tab inside", with_host("a\tb"), 400);
    bad("host with a question mark", with_host("h?x"), 400);
    bad("http/1.0 with an invalid host", "GET /plaintext HTTP/1.0\r\nHost: a b\r\n\r\n", 400);
    ok("host with a port", with_host("h:8080"), {200});
    ok("host with an empty port", with_host("h:"), {200});
    ok("empty host", with_host(""), {200});
    ok("host ipv4", with_host("127.0.0.1:80"), {200});
    ok("host ipv6", with_host("[::1]:80"), {200});
    ok("host with sub-delims and percent", with_host("a-b.c_d~e!%41"), {200});
    // --- header syntax ---------------------------------------------------------------------
    bad("bare LF line endings", "GET /plaintext HTTP/1.1\nHost: h\n\n", 400);
    bad("bare LF after the request line", "GET /plaintext HTTP/1.1\nHost: h\r\n\r\n", 400);
    bad("bare LF in a header line", with_header("X: y\n"), 400);
    bad("bare LF ending the head", "GET /plaintext HTTP/1.1\r\nHost: h\r\n\n", 400);
    bad("bare CR in the request line", "GET /plaintext HTTP/1.1\rHost: h\r\n\r\n", 400);
    bad("bare CR in a header value", with_header("X: a\rb"), 400);
    bad("NUL in a header value", with_header(std::string("X: a\0b"sv)), 400);
    bad("NUL in a header name", with_header(std::string("X\0: b"sv)), 400);
    bad("control byte in a header value", with_header("X: a\x01"), 400);
    bad("vertical tab in a header value", with_header("X: a\x0b"), 400);
    bad("DEL in a header value", with_header("X: a\x7f"), 400);
    bad("obs-fold", with_header("X: a\r\n b"), 400);
    bad("obs-fold with a tab", with_header("X: a\r\n\tb"), 400);
    bad("whitespace before the first header", "GET /plaintext HTTP/1.1\r\n Host: h\r\n\r\n", 400);
    bad("space before a colon", with_header("X : y"), 400);
    bad("tab before a colon", with_header("X\t: y"), 400);
    bad("header line without a colon", with_header("NoColon"), 400);
    bad("empty header name", with_header(": x"), 400);
    bad("non-token header name", with_header("X(y): z"), 400);
    bad("non-ascii header name", with_header("X\xc3\xa9: z"), 400);
    bad("request line past 8 KiB", get("/" + std::string(9000, 'a')), 414);
    bad("header past 8 KiB", with_header("X-Big: " + std::string(8200, 'b')), 431);
    bad("head past 8 KiB in many fields",
        request("GET /plaintext HTTP/1.1",
                kHost + fields(120) + "X-Pad: " + std::string(7000, 'p') + "\r\n"),
        431);
    bad("129 header fields", request("GET /plaintext HTTP/1.1", kHost + fields(128)), 431);
    // --- Content-Length --------------------------------------------------------------------
    ok("content-length with a body then a request",
       request("POST /x HTTP/1.1", "Host: h\r\nContent-Length: 5\r\n", "hello") + kGet, {404, 200});
    ok("content-length 0", request("POST /x HTTP/1.1", "Host: h\r\nContent-Length: 0\r\n"), {404});
    ok("content-length with leading zeros",
       request("POST /x HTTP/1.1", "Host: h\r\nContent-Length: 003\r\n", "abc"), {404});
    ok("content-length repeated with the same value",
       request("POST /x HTTP/1.1", "Host: h\r\nContent-Length: 2\r\ncontent-length: 2\r\n", "ok"),
       {404});
    ok("get with a content-length body",
       request("GET /plaintext HTTP/1.1", "Host: h\r\nContent-Length: 2\r\n", "ok"), {200});
    bad("content-length repeated with another value",
        request("POST /x HTTP/1.1", "Host: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n",
                "abcd"),
        400);
    bad("content-length list",
        request("POST /x HTTP/1.1", "Host: h\r\nContent-Length: 3, 3\r\n", "abc"), 400);
    bad("negative content-length", request("POST /x HTTP/1.1", "Host: h\r\nContent-Length: -1\r\n"),
        400);
    bad("content-length with a plus",
        request("POST /x HTTP/1.1", "Host: h\r\nContent-Length: +1\r\n", "a"), 400);
    bad("hexadecimal content-length",
        request("POST /x HTTP/1.1", "Host: h\r\nContent-Length: 0x1\r\n", "a"), 400);
    bad("empty content-length", request("POST /x HTTP/1.1", "Host: h\r\nContent-Length:\r\n"), 400);
    bad("content-length with an inner space",
        request("POST /x HTTP/1.1", "Host: h\r\nContent-Length: 1 2\r\n"), 400);
    bad("content-length above 1 MiB",
        request("POST /x HTTP/1.1", "Host: h\r\nContent-Length: 1048577\r\n"), 413);
    bad("content-length beyond 64 bits",
        request("POST /x HTTP/1.1", "Host: h\r\nContent-Length: 99999999999999999999999\r\n"), 413);
    // --- Transfer-Encoding and smuggling ---------------------------------------------------
    bad("CL then TE",
        request("POST /x HTTP/1.1",
                "Host: h\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\nG"),
        400);
    bad("TE then CL",
        request("POST /x HTTP/1.1",
                "Host: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n", "0\r\n\r\n"),
        400);
    bad("TE in http/1.0", "POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
    bad("TE chunked then gzip", post_te("chunked, gzip"), 400);
    bad("TE gzip alone", post_te("gzip"), 400);
    bad("TE identity", post_te("identity"), 400);
    bad("TE chunked twice", post_te("chunked, chunked"), 400);
    bad("TE chunked in two lines",
        request("POST /x HTTP/1.1",
                "Host: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                "0\r\n\r\n"),
        400);
    bad("TE chunked line then gzip line",
        request("POST /x HTTP/1.1",
                "Host: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n",
                "0\r\n\r\n"),
        400);
    bad("TE with parameters on chunked", post_te("chunked;q=1"), 400);
    bad("TE empty", post_te(""), 400);
    bad("TE only commas", post_te(" , ,"), 400);
    bad("TE xchunked", post_te("xchunked"), 400);
    bad("TE chunked with a suffix", post_te("chunked-false"), 400);
    bad("TE not a token", post_te("\"chunked\""), 400);
    bad("TE with a vertical tab", post_te("chunked\x0b"), 400);
    bad("TE obs-fold",
        request("POST /x HTTP/1.1", "Host: h\r\nTransfer-Encoding:\r\n chunked\r\n", "0\r\n\r\n"),
        400);
    bad("TE with a space before the colon",
        request("POST /x HTTP/1.1", "Host: h\r\nTransfer-Encoding : chunked\r\n", "0\r\n\r\n"),
        400);
    bad("TE gzip then chunked", post_te("gzip, chunked"), 501);
    bad("TE gzip line then chunked line",
        request("POST /x HTTP/1.1",
                "Host: h\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
                "0\r\n\r\n"),
        501);
    bad("TE unknown coding then chunked", post_te("foo;a=b, chunked"), 501);
    ok("TE upper-case Chunked", post_te("Chunked"), {404});
    ok("TE with spaces around", post_te("  chunked  "), {404});
    ok("TE with empty list elements", post_te(", chunked ,"), {404});
    // --- chunked bodies --------------------------------------------------------------------
    ok("chunked one chunk", post_chunked("5\r\nhello\r\n0\r\n\r\n"), {404});
    ok("chunked three chunks", post_chunked("1\r\na\r\n2\r\nbc\r\n3\r\ndef\r\n0\r\n\r\n"), {404});
    ok("chunked only the last chunk", post_chunked("0\r\n\r\n"), {404});
    ok("chunked upper-case hex", post_chunked("A\r\n0123456789\r\n0\r\n\r\n"), {404});
    ok("chunked lower-case hex", post_chunked("a\r\n0123456789\r\n0\r\n\r\n"), {404});
    ok("chunked leading zeros", post_chunked("0005\r\nhello\r\n000\r\n\r\n"), {404});
    ok("chunked extension", post_chunked("5;name=value\r\nhello\r\n0;last\r\n\r\n"), {404});
    ok("chunked extension without value", post_chunked("5;flag\r\nhello\r\n0\r\n\r\n"), {404});
    ok("chunked extensions with spaces", post_chunked("5 ; a = b ; c\r\nhello\r\n0\r\n\r\n"),
       {404});
    ok("chunked quoted extension", post_chunked("5;a=\"x; y\"\r\nhello\r\n0\r\n\r\n"), {404});
    ok("chunked quoted extension with escape", post_chunked("5;a=\"q\\\"r\"\r\nhello\r\n0\r\n\r\n"),
       {404});
    ok("chunked trailer", post_chunked("5\r\nhello\r\n0\r\nX-Trailer: v\r\n\r\n"), {404});
    ok("chunked two trailers", post_chunked("0\r\nA: 1\r\nB:\r\n\r\n"), {404});
    ok("chunked binary data with CRLF inside", post_chunked("4\r\n\r\n\r\n\r\n0\r\n\r\n"), {404});
    ok("chunked then a pipelined request", post_chunked("0\r\n\r\n") + kGet, {404, 200});
    ok("chunked last chunk hides nothing",
       post_chunked("0\r\n\r\n") + "GET /admin HTTP/1.1\r\nHost: h\r\n\r\n", {404, 404});
    ok("chunked post to plaintext", post_chunked("1\r\na\r\n0\r\n\r\n", "/plaintext"), {405});
    ok("chunked get to plaintext",
       request("GET /plaintext HTTP/1.1", "Host: h\r\nTransfer-Encoding: chunked\r\n",
               "2\r\nhi\r\n0\r\n\r\n"),
       {200});
    ok("chunked with connection close",
       request("POST /x HTTP/1.1", "Host: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n",
               "0\r\n\r\n") +
           kGet,
       {404}, false);
    ok("chunked body of exactly 1 MiB",
       post_chunked("100000\r\n" + std::string(1 << 20, 'd') + "\r\n0\r\n\r\n"), {404});
    bad("chunked size not hex", post_chunked("g\r\nhello\r\n0\r\n\r\n"), 400);
    bad("chunked negative size", post_chunked("-1\r\nh\r\n0\r\n\r\n"), 400);
    bad("chunked size with 0x", post_chunked("0x5\r\nhello\r\n0\r\n\r\n"), 400);
    bad("chunked empty size", post_chunked("\r\nhello\r\n0\r\n\r\n"), 400);
    bad("chunked space before the size", post_chunked(" 5\r\nhello\r\n0\r\n\r\n"), 400);
    bad("chunked space after the size", post_chunked("5 \r\nhello\r\n0\r\n\r\n"), 400);
    bad("chunked tab after the last size", post_chunked("0\t\r\n\r\n"), 400);
    bad("chunked size with a plus", post_chunked("+5\r\nhello\r\n0\r\n\r\n"), 400);
    bad("chunked size overflow", post_chunked("10000000000000000\r\nhello\r\n0\r\n\r\n"), 400);
    bad("chunked size of 2^64-1", post_chunked("FFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n"), 413);
    bad("chunked size above 1 MiB", post_chunked("100001\r\nhello\r\n0\r\n\r\n"), 413);
    bad("chunked sizes adding up above 1 MiB",
        post_chunked("80000\r\n" + std::string(0x80000, 'a') + "\r\n80001\r\n"), 413);
    bad("chunked data longer than its size", post_chunked("2\r\nhello\r\n0\r\n\r\n"), 400);
    bad("chunked data shorter than its size", post_chunked("9\r\nhello\r\n0\r\n\r\n"), 400);
    bad("chunked data without CRLF", post_chunked("5\r\nhello0\r\n\r\n"), 400);
    bad("chunked data with a bare LF after it", post_chunked("5\r\nhello\n0\r\n\r\n"), 400);
    bad("chunked data with a bare CR after it", post_chunked("5\r\nhello\r0\r\n\r\n"), 400);
    bad("chunked size with a bare LF", post_chunked("5\nhello\r\n0\r\n\r\n"), 400);
    bad("chunked size with a bare CR", post_chunked("5\rhello\r\n0\r\n\r\n"), 400);
    bad("chunked last chunk with a bare LF", post_chunked("0\n\r\n"), 400);
    bad("chunked final CRLF as a bare LF", post_chunked("0\r\n\n"), 400);
    bad("chunked final CRLF missing", post_chunked("0\r\n") + kGet, 400);
    bad("chunked extension with a NUL", post_chunked(std::string("5;a\0\r\nhello\r\n0\r\n\r\n"sv)),
        400);
    bad("chunked extension with a bare CR", post_chunked("5;a\rb\r\nhello\r\n0\r\n\r\n"), 400);
    bad("chunked extension with a bare LF", post_chunked("5;a\nhello\r\n0\r\n\r\n"), 400);
    bad("chunked extension with an @", post_chunked("5;a@b\r\nhello\r\n0\r\n\r\n"), 400);
    bad("chunked extension with DEL", post_chunked("5;a\x7f\r\nhello\r\n0\r\n\r\n"), 400);
    bad("chunked quoted extension with a LF", post_chunked("5;a=\"x\ny\"\r\nhello\r\n0\r\n\r\n"),
        400);
    bad("chunked quoted extension with a NUL",
        post_chunked(std::string("5;a=\"x\0\"\r\nhello\r\n0\r\n\r\n"sv)), 400);
    bad("chunked trailer obs-fold", post_chunked("0\r\nA: 1\r\n 2\r\n\r\n"), 400);
    bad("chunked trailer without a colon", post_chunked("0\r\nNoColon\r\n\r\n"), 400);
    bad("chunked trailer with a space before the colon", post_chunked("0\r\nA : 1\r\n\r\n"), 400);
    bad("chunked trailer with a NUL", post_chunked(std::string("0\r\nA: \0\r\n\r\n"sv)), 400);
    bad("chunked trailer with a bare LF", post_chunked("0\r\nA: 1\n\r\n"), 400);
    bad("chunked trailer with a bare CR", post_chunked("0\r\nA: 1\rB: 2\r\n\r\n"), 400);
    bad("chunked framing above the head and body limits",
        post_chunked("1;" + std::string((std::size_t{1} << 20) + 8192, 'e') + "\r\na\r\n0\r\n\r\n"),
        413);
    // --- pipelining and what follows an error ----------------------------------------------
    ok("two pipelined requests", kGet + kGet, {200, 200});
    ok("ten pipelined requests",
       [] {
         std::string text;
         for (int i = 0; i < 10; ++i) text += kGet;
         return text;
       }(),
       {200, 200, 200, 200, 200, 200, 200, 200, 200, 200});
    ok("pipelined mixed routes",
       kGet + get("/nothing") + request("POST /plaintext HTTP/1.1") + kGet, {200, 404, 405, 200});
    ok("nothing answered after connection close", with_header("Connection: close") + kGet, {200},
       false);
    ok("nothing answered after a bad request", kGet + "GET / HTTP/1.1\nHost: h\n\n" + kGet,
       {200, 400}, false);
    ok("nothing answered after a smuggled TE", kGet + post_te("chunked, gzip", "0\r\n\r\n") + kGet,
       {200, 400}, false);
    ok("nothing answered after a missing host", kGet + "GET / HTTP/1.1\r\n\r\n" + kGet, {200, 400},
       false);
    return c;
  }();
  return table;
}

// The parser's outcomes for `input` arriving as input[0, split) then whole: each complete
// request as "method target body-size chunked", then the final error status or "more".
std::vector<std::string> parse_outcomes(std::string_view input, std::size_t split) {
  http::RequestParser parser;
  std::vector<std::string> outcomes;
  std::size_t pos = 0;
  const auto run = [&](std::string_view buffered) {
    for (;;) {
      const http::ParseResult result = parser.parse(buffered.substr(pos));
      if (result.status == ParseStatus::need_more) return true;
      if (result.status == ParseStatus::error) {
        outcomes.push_back("error " + std::to_string(result.error_status));
        return false;
      }
      const http::Request& request = parser.request();
      std::size_t data = request.body.size();
      if (request.chunked) {
        data = 0;
        http::ChunkReader reader(request.chunked_body);
        while (std::optional<std::string_view> chunk = reader.next()) data += chunk->size();
        if (data != request.body_size) outcomes.push_back("chunk data and body_size differ");
      }
      outcomes.push_back(std::string(request.method) + " " + std::string(request.target) + " " +
                         std::to_string(data) + (request.chunked ? " chunked" : ""));
      pos += result.consumed;
    }
  };
  const std::string piece(input.substr(0, split));  // its own copy: the buffer moves
  if (!run(piece)) return outcomes;
  if (run(input)) outcomes.push_back(pos == input.size() ? "done" : "more");
  return outcomes;
}

TEST(HttpConformance, TableHasEnoughCasesWithUniqueNames) {
  std::set<std::string> names;
  for (const Case& test : cases()) EXPECT_TRUE(names.insert(test.name).second) << test.name;
  EXPECT_GE(cases().size(), 150U);
}

TEST(HttpConformance, ParserGivesTheSameOutcomeSplitAtEveryByte) {
  for (const Case& test : cases()) {
    SCOPED_TRACE(test.name);
    const std::vector<std::string> whole = parse_outcomes(test.input, 0);
    ASSERT_FALSE(whole.empty());
    // Parser errors are the case's last status and close the connection; routing statuses
    // (404, 405, 501 for a method) come from the server, after a complete request.
    if (whole.back().starts_with("error ")) {
      EXPECT_EQ(whole.back(), "error " + std::to_string(test.statuses.back()));
      EXPECT_FALSE(test.stays_open);
      EXPECT_EQ(whole.size(), test.statuses.size());
    } else {
      EXPECT_EQ(whole.back(), "done");
      // After "Connection: close" the server answers nothing more, though the parser would.
      if (test.stays_open) EXPECT_EQ(whole.size(), test.statuses.size() + 1);
      if (!test.stays_open) EXPECT_GE(whole.size(), test.statuses.size() + 1);
    }
    // Long inputs (the 1 MiB bodies) are split at every byte of their first 128 and at 8
    // places after (each split rescans up to 1 MiB); the rest at every byte.
    const std::size_t stride = test.input.size() > 20000 ? test.input.size() / 8 : 1;
    for (std::size_t split = 0; split <= test.input.size(); ++split) {
      if (split % stride != 0 && split > 128) continue;
      ASSERT_EQ(parse_outcomes(test.input, split), whole) << "split at byte " << split;
    }
  }
}

struct Answers {
  std::vector<int> statuses;
  bool last_keeps_alive = true;
  bool malformed = false;
};

// Parses what the server sent back, with ResponseParser.
Answers answers_in(std::string_view text, bool head) {
  Answers answers;
  http::ResponseParser parser;
  while (!text.empty()) {
    const http::ParseResult result = parser.parse(text, head);
    if (result.status != ParseStatus::complete) {
      answers.malformed = true;
      break;
    }
    // A 100 Continue comes when the server saw an Expect head before its body, which
    // depends on how the bytes arrived; the final statuses must not.
    if (parser.response().status != 100) answers.statuses.push_back(parser.response().status);
    answers.last_keeps_alive = parser.response().keep_alive;
    if (parser.response().status == 405) {
      const auto allow = parser.response().headers.find("allow");
      EXPECT_EQ(allow.value_or("(none)"), "GET, HEAD");
    }
    text.remove_prefix(result.consumed);
  }
  return answers;
}

// Sends `input` (whole, or one byte per write), shuts down the sending side and reads all.
Task<std::string> exchange(std::uint16_t port, std::string_view input, bool byte_by_byte) {
  TcpStream stream = co_await TcpStream::connect("127.0.0.1", port);
  try {
    if (byte_by_byte) {
      for (std::size_t i = 0; i < input.size(); ++i) {
        co_await stream.write_all(input.substr(i, 1));
        co_await corio::yield_now();
      }
    } else {
      co_await stream.write_all(input);
    }
    stream.shutdown();
  } catch (const std::exception&) {
    // The server closed after an error before taking every byte; its answer is still read.
  }
  std::string text;
  std::array<char, 65536> chunk{};
  try {
    for (;;) {
      const std::size_t n = co_await stream.read(chunk);
      if (n == 0) break;
      text.append(chunk.data(), n);
    }
  } catch (const std::exception&) {
    // A reset after the server closed with our bytes unread: what arrived before it counts.
  }
  co_return text;
}

void expect_served(const Case& test, std::string_view text, const char* how) {
  SCOPED_TRACE(how);
  const Answers answers = answers_in(text, test.head);
  EXPECT_FALSE(answers.malformed) << text;
  EXPECT_EQ(answers.statuses, test.statuses) << text;
  EXPECT_EQ(answers.last_keeps_alive, test.stays_open) << text;
}

TEST(HttpConformance, ServerAnswersEachCaseWithItsStatusesAndConnectionState) {
  auto main_task = []() -> Task<void> {
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    const std::uint16_t port = listener.local_port();
    auto server = corio::spawn(http::serve(std::move(listener), &corio::testing::test_routes));
    for (const Case& test : cases()) {
      SCOPED_TRACE(test.name);
      expect_served(test, co_await exchange(port, test.input, false), "whole");
      if (test.input.size() <= 4096) {
        expect_served(test, co_await exchange(port, test.input, true), "byte by byte");
      }
    }
    server.cancel();
    EXPECT_THROW(co_await server, corio::CancelledError);
  };
  corio::run(main_task());
}

// Reads until `text` holds at least one whole response; returns it.
Task<std::string> read_response(TcpStream& stream) {
  std::string text;
  std::array<char, 4096> chunk{};
  http::ResponseParser parser;
  for (;;) {
    if (parser.parse(text).status == ParseStatus::complete) co_return text;
    const std::size_t n = co_await stream.read(chunk);
    if (n == 0) co_return text;
    text.append(chunk.data(), n);
  }
}

TEST(HttpConformance, ExpectContinueGets100BeforeTheBodyOrTheFinalStatusAtOnce) {
  auto main_task = []() -> Task<void> {
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    const std::uint16_t port = listener.local_port();
    auto server = corio::spawn(http::serve(std::move(listener), &corio::testing::test_routes));
    {
      // A route that takes the request: 100 Continue, then, once the body is sent, 200.
      TcpStream stream = co_await TcpStream::connect("127.0.0.1", port);
      co_await stream.write_all(
          std::string_view("GET /plaintext HTTP/1.1\r\nHost: h\r\nExpect: "
                           "100-continue\r\nContent-Length: 4\r\n\r\n"));
      EXPECT_EQ(co_await read_response(stream), "HTTP/1.1 100 Continue\r\n\r\n");
      co_await stream.write_all(std::string_view("body"));
      const std::string final_answer = co_await read_response(stream);
      EXPECT_TRUE(final_answer.starts_with("HTTP/1.1 200 OK\r\n")) << final_answer;
      // The connection stays open for the next request.
      co_await stream.write_all(std::string_view(kGet));
      EXPECT_TRUE((co_await read_response(stream)).starts_with("HTTP/1.1 200 OK\r\n"));
    }
    {
      // The same with a chunked body.
      TcpStream stream = co_await TcpStream::connect("127.0.0.1", port);
      co_await stream.write_all(
          std::string_view("GET /plaintext HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n"));
      EXPECT_EQ(co_await read_response(stream), "HTTP/1.1 100 Continue\r\n\r\n");
      co_await stream.write_all(std::string_view("4\r\nbody\r\n0\r\n\r\n"));
      EXPECT_TRUE((co_await read_response(stream)).starts_with("HTTP/1.1 200 OK\r\n"));
    }
    {
      // A method the resource does not allow: 405 at once, body unread, connection closed.
      TcpStream stream = co_await TcpStream::connect("127.0.0.1", port);
      co_await stream.write_all(
          std::string_view("POST /plaintext HTTP/1.1\r\nHost: h\r\nExpect: "
                           "100-continue\r\nContent-Length: 4\r\n\r\n"));
      const std::string answer = co_await read_response(stream);
      EXPECT_TRUE(answer.starts_with("HTTP/1.1 405 Method Not Allowed\r\n")) << answer;
      EXPECT_NE(answer.find("Allow: GET, HEAD\r\n"), std::string::npos) << answer;
      EXPECT_NE(answer.find("Connection: close\r\n"), std::string::npos) << answer;
      std::array<char, 64> rest{};
      EXPECT_EQ(co_await stream.read(rest), 0U) << "closed after the final status";
    }
    {
      // A body over the limit: 413 at once, from the parser.
      TcpStream stream = co_await TcpStream::connect("127.0.0.1", port);
      co_await stream.write_all(
          std::string_view("POST /plaintext HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                           "Content-Length: 2000000\r\n\r\n"));
      EXPECT_TRUE((co_await read_response(stream)).starts_with("HTTP/1.1 413 "));
    }
    {
      // HTTP/1.0 expectations are ignored: no 100, the answer comes with the body.
      TcpStream stream = co_await TcpStream::connect("127.0.0.1", port);
      co_await stream.write_all(std::string_view(
          "GET /plaintext HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"));
      co_await corio::sleep(std::chrono::milliseconds(20));
      co_await stream.write_all(std::string_view("body"));
      EXPECT_TRUE((co_await read_response(stream)).starts_with("HTTP/1.1 200 OK\r\n"));
    }
    server.cancel();
    EXPECT_THROW(co_await server, corio::CancelledError);
  };
  corio::run(main_task());
}

// What held before the strictness work must still hold: a long pipelined burst is answered
// whole and in order, and peers that reset mid-request (a partial head, a partial chunked
// body) cost nothing but their own connection.
TEST(HttpConformance, TenThousandPipelinedRequestsAndTwoThousandResetsMidRequest) {
  auto main_task = []() -> Task<void> {
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    const std::uint16_t port = listener.local_port();
    auto server = corio::spawn(http::serve(std::move(listener), &corio::testing::test_routes));
    {
      std::string burst;
      for (int i = 0; i < 10000; ++i) burst += kGet;
      burst += with_header("Connection: close");
      const std::string text = co_await exchange(port, burst, false);
      const Answers answers = answers_in(text, false);
      EXPECT_FALSE(answers.malformed);
      EXPECT_EQ(answers.statuses, std::vector<int>(10001, 200));
      EXPECT_FALSE(answers.last_keeps_alive);
    }
    const std::string partial_chunked = post_chunked("5\r\nhel");
    for (int i = 0; i < 2000; ++i) {
      TcpStream stream = co_await TcpStream::connect("127.0.0.1", port);
      const std::string_view partial =
          i % 2 == 0 ? std::string_view(kGet).substr(0, 20) : std::string_view(partial_chunked);
      co_await stream.write_all(partial);
      // SO_LINGER with a zero timeout: close() sends RST instead of FIN.
      const ::linger reset{.l_onoff = 1, .l_linger = 0};
      EXPECT_EQ(::setsockopt(stream.native_handle(), SOL_SOCKET, SO_LINGER, &reset, sizeof reset),
                0);
      stream.close();
      if (i % 500 == 0) co_await corio::yield_now();
    }
    const Answers after = answers_in(co_await exchange(port, kGet, false), false);
    EXPECT_EQ(after.statuses, std::vector<int>{200});
    server.cancel();
    EXPECT_THROW(co_await server, corio::CancelledError);
  };
  corio::run(main_task());
}

// Regenerates corpus files from the table (run with --gtest_also_run_disabled_tests):
// "<ok|more|status>-conformance-<name>.http", the prefix being the parser's final outcome as
// the corpus replay in http_parser_test.cpp expects. Inputs above 16 KiB are left out.
TEST(HttpConformance, DISABLED_WriteCasesIntoTheFuzzCorpus) {
  for (const Case& test : cases()) {
    if (test.input.size() > 16384) continue;
    const std::vector<std::string> outcomes = parse_outcomes(test.input, 0);
    std::string prefix = outcomes.back() == "done" ? "ok" : outcomes.back();
    if (prefix.starts_with("error ")) prefix = prefix.substr(6);
    std::string slug;
    for (char ch : test.name)
      slug += (std::isalnum(static_cast<unsigned char>(ch)) != 0) ? ch : '-';
    const std::filesystem::path path =
        std::filesystem::path(CORIO_HTTP_CORPUS_DIR) / (prefix + "-conformance-" + slug + ".http");
    std::ofstream(path, std::ios::binary) << test.input;
  }
}

}  // namespace
