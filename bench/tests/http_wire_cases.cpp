// The wire-level HTTP/1.1 case set and its runner: see http_wire_cases.hpp.
#include "bench/tests/http_wire_cases.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <optional>
#include <poll.h>
#include <string_view>
#include <sys/socket.h>
#include <utility>

#include "bench/tests/model_servers.hpp"

namespace bench::test {
namespace {

using namespace std::string_literals;
using namespace std::string_view_literals;
using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------------------------
// Building the cases.

const std::string kHost = "Host: h\r\n";

// "<line>\r\n<fields>\r\n<body>": one request.
std::string request(std::string_view line, std::string_view fields = kHost,
                    std::string_view body = {}) {
  return std::string(line) + "\r\n" + std::string(fields) + "\r\n" + std::string(body);
}

Outcome open(std::vector<std::set<int>> statuses) {
  return {.statuses = std::move(statuses), .closed = false};
}
Outcome closed(std::vector<std::set<int>> statuses) {
  return {.statuses = std::move(statuses), .closed = true};
}

// The answer to a POST of the target with a body: the server's route decides (405 where the
// resource takes only GET, 200 where it takes anything, 404); what matters is that the body
// was framed right, which the GET after it shows.
const std::set<int> kPostAnswer = {200, 404, 405};

// ---------------------------------------------------------------------------------------------
// Reading answers.

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

struct Answer {
  int status = 0;
  bool has_allow = false;
};

// The length of a chunked body at the start of `data`, 0 while incomplete; nullopt when it is
// not chunked framing.
std::optional<std::size_t> chunked_length(std::string_view data) {
  std::size_t at = 0;
  for (;;) {
    const std::size_t line_end = data.find("\r\n", at);
    if (line_end == std::string_view::npos) return 0;
    std::size_t size = 0;
    const char* first = data.data() + at;
    const auto [stop, error] = std::from_chars(first, data.data() + line_end, size, 16);
    if (error != std::errc{} || stop == first) return std::nullopt;
    at = line_end + 2;
    if (size == 0) {  // trailer fields up to an empty line
      const std::size_t end = data.find("\r\n\r\n", at - 2);
      return end == std::string_view::npos ? 0 : end + 4;
    }
    if (data.size() < at + size + 2) return 0;
    at += size + 2;
  }
}

enum class Parsed : std::uint8_t { incomplete, complete, until_close, malformed };

// One answer at the start of `data`: its length in `length` when complete.
Parsed parse_answer(std::string_view data, bool head_method, Answer& answer, std::size_t& length) {
  const std::size_t head_end = data.find("\r\n\r\n");
  if (head_end == std::string_view::npos) {
    return data.size() > 65536 ? Parsed::malformed : Parsed::incomplete;
  }
  const std::string_view head = data.substr(0, head_end + 2);
  if (!head.starts_with("HTTP/1.") || head.size() < 12 || head[8] != ' ') return Parsed::malformed;
  const auto [stop, error] = std::from_chars(head.data() + 9, head.data() + 12, answer.status);
  if (error != std::errc{} || stop != head.data() + 12) return Parsed::malformed;
  std::optional<std::size_t> content_length;
  bool chunked = false;
  for (std::size_t line = head.find("\r\n") + 2; line < head.size();) {
    const std::size_t end = head.find("\r\n", line);
    const std::string_view field = head.substr(line, end - line);
    line = end + 2;
    const std::size_t colon = field.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = field.substr(0, colon);
    std::string_view value = field.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    if (iequals(name, "allow")) answer.has_allow = true;
    if (iequals(name, "transfer-encoding")) chunked = value.find("chunked") != value.npos;
    if (iequals(name, "content-length")) {
      std::size_t size = 0;
      const auto [at, status] = std::from_chars(value.data(), value.data() + value.size(), size);
      if (status != std::errc{}) return Parsed::malformed;
      content_length = size;
    }
  }
  const std::size_t body_start = head_end + 4;
  const bool no_body =
      head_method || answer.status < 200 || answer.status == 204 || answer.status == 304;
  if (no_body) {
    length = body_start;
    return Parsed::complete;
  }
  if (chunked) {
    const std::optional<std::size_t> body = chunked_length(data.substr(body_start));
    if (!body) return Parsed::malformed;
    if (*body == 0) return Parsed::incomplete;
    length = body_start + *body;
    return Parsed::complete;
  }
  if (!content_length) return Parsed::until_close;  // the body ends with the connection
  if (data.size() < body_start + *content_length) return Parsed::incomplete;
  length = body_start + *content_length;
  return Parsed::complete;
}

// One connection's answers as they come.
class AnswerReader {
 public:
  AnswerReader(int fd, bool head_method) : fd_(fd), head_method_(head_method) {}

  // Reads until `count` answers in all came, the stream ended, or `patience` passed with
  // no byte; false when what came is not HTTP.
  bool read_answers(std::size_t count, std::chrono::milliseconds patience) {
    while (answers_.size() < count && !ended_) {
      if (!take_answers()) return false;
      if (answers_.size() >= count || ended_) break;
      if (!receive(patience)) break;
    }
    return take_answers();
  }

  // Waits up to `patience` for bytes or the end of the stream; false on silence.
  bool receive(std::chrono::milliseconds patience) {
    pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, static_cast<int>(patience.count())) <= 0) return false;
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      buffer_.append(chunk, static_cast<std::size_t>(n));
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
      ended_ = true;  // the end of the stream, or a reset
    }
    return true;
  }

  [[nodiscard]] const std::vector<Answer>& answers() const noexcept { return answers_; }
  [[nodiscard]] bool ended() const noexcept { return ended_; }

  bool take_answers() {
    for (;;) {
      if (buffer_.empty()) return true;
      Answer answer;
      std::size_t length = 0;
      switch (parse_answer(buffer_, head_method_, answer, length)) {
        case Parsed::incomplete:
          return true;
        case Parsed::malformed:
          return false;
        case Parsed::until_close:
          if (!ended_) return true;
          length = buffer_.size();
          break;
        case Parsed::complete:
          break;
      }
      answers_.push_back(answer);
      buffer_.erase(0, length);
    }
  }

 private:
  int fd_;
  bool head_method_;
  std::string buffer_;
  std::vector<Answer> answers_;
  bool ended_ = false;
};

std::string describe_outcome(const Outcome& outcome) {
  std::string text;
  for (const std::set<int>& statuses : outcome.statuses) {
    std::string one;
    for (const int status : statuses) one += (one.empty() ? "" : "/") + std::to_string(status);
    text += one + " ";
  }
  return text + (outcome.closed ? "closed" : "open");
}

bool matches(const Outcome& outcome, const std::vector<Answer>& answers, bool closed) {
  if (outcome.closed != closed || outcome.statuses.size() != answers.size()) return false;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    if (!outcome.statuses[i].contains(answers[i].status)) return false;
  }
  return true;
}

WireResult failed(std::string observed) {
  return {.passed = false, .observed = std::move(observed)};
}

}  // namespace

std::vector<WireCase> wire_cases(const std::string& target) {
  const std::string get = request("GET " + target + " HTTP/1.1");
  const auto get_with = [&target](std::string_view field_line) {
    return request("GET " + target + " HTTP/1.1", kHost + std::string(field_line) + "\r\n");
  };
  const auto get_host = [&target](std::string_view host) {
    return request("GET " + target + " HTTP/1.1", "Host: " + std::string(host) + "\r\n");
  };
  const auto post = [&target](std::string_view fields, std::string_view body = {},
                              std::string_view version = "HTTP/1.1") {
    return request("POST " + target + " " + std::string(version), fields, body);
  };
  std::string hundred_fields = kHost;
  for (int i = 1; i < 100; ++i) hundred_fields += "X-Field-" + std::to_string(i) + ": v\r\n";

  const Level R = Level::required;
  const Level S = Level::recommended;
  const Outcome ok = open({{200}});
  const Outcome rejected = closed({{400}});
  // A request the RFC lets a server either reject or repair: either way, the next request on
  // the connection must not be something smuggled.
  const Outcome repaired = open({{200}});
  const Outcome framed_post = open({kPostAnswer, {200}});

  std::vector<WireCase> c;
  // Adds a case; the reference returned sets the rarer fields (head_method, needs_allow, body).
  const auto add = [&c](std::string name, std::string section, Level level, std::string bytes,
                        std::vector<Outcome> allowed) -> WireCase& {
    WireCase& one = c.emplace_back();
    one.name = std::move(name);
    one.section = std::move(section);
    one.level = level;
    one.bytes = std::move(bytes);
    one.allowed = std::move(allowed);
    return one;
  };

  // --- messages a server must answer ---------------------------------------------------------
  add("GET of the resource", "RFC 9112 3", R, get, {ok});
  add("HEAD of the resource", "RFC 9110 9.3.2", R, request("HEAD " + target + " HTTP/1.1"), {ok})
      .head_method = true;
  add("unknown path", "RFC 9110 15.5.5", R, request("GET /no-such-resource HTTP/1.1"),
      {open({{404}})});
  add("three pipelined GETs", "RFC 9112 9.3.2", R, get + get + get, {open({{200}, {200}, {200}})});
  add("nothing answered after Connection: close", "RFC 9112 9.6", R,
      get + get_with("Connection: close") + get, {closed({{200}, {200}})});
  add("Connection: close", "RFC 9112 9.6", R, get_with("Connection: close"), {closed({{200}})});
  add("HTTP/1.0 closes by default", "RFC 9112 9.3", R, request("GET " + target + " HTTP/1.0"),
      {closed({{200}})});
  add("HTTP/1.0 without Host", "RFC 9112 3.2", R, "GET " + target + " HTTP/1.0\r\n\r\n",
      {closed({{200}})});
  add("100 field lines", "RFC 9112 5", R, request("GET " + target + " HTTP/1.1", hundred_fields),
      {ok});
  add("absolute-form target", "RFC 9112 3.2.2", R, request("GET http://h" + target + " HTTP/1.1"),
      {ok});
  add("absolute-form target beside another Host", "RFC 9112 3.2.2", R,
      request("GET http://h" + target + " HTTP/1.1", "Host: other\r\n"), {ok});
  add("GET with a Content-Length body, then a GET", "RFC 9112 6.3", R,
      request("GET " + target + " HTTP/1.1", kHost + "Content-Length: 5\r\n", "hello") + get,
      {open({{200}, {200}})});
  add("POST with a Content-Length body, then a GET", "RFC 9112 6.3", R,
      post(kHost + "Content-Length: 5\r\n", "hello") + get, {framed_post});
  add("Content-Length with leading zeros", "RFC 9112 6.3", R,
      post(kHost + "Content-Length: 005\r\n", "hello") + get, {framed_post});
  // --- chunked request bodies --------------------------------------------------------------
  const std::string chunked = kHost + "Transfer-Encoding: chunked\r\n";
  add("chunked body, then a GET", "RFC 9112 7.1", R,
      post(chunked, "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n") + get, {framed_post});
  add("chunk extensions", "RFC 9112 7.1.1", R,
      post(chunked, "5;name=value;q=\"a b\"\r\nhello\r\n0;last\r\n\r\n") + get, {framed_post});
  add("trailer fields", "RFC 9112 7.1.2", R,
      post(chunked, "5\r\nhello\r\n0\r\nX-Trailer: t\r\nX-More: m\r\n\r\n") + get, {framed_post});
  add("upper-case hexadecimal chunk size", "RFC 9112 7.1", R,
      post(chunked, "A\r\n0123456789\r\n0\r\n\r\n") + get, {framed_post});
  add("chunk size not hexadecimal", "RFC 9112 7.1", R, post(chunked, "zz\r\nhello\r\n0\r\n\r\n"),
      {rejected});
  add("chunk size beyond 64 bits", "RFC 9112 7.1", R,
      post(chunked, "fffffffffffffffffffff\r\nhello\r\n0\r\n\r\n"), {closed({{400, 413}})});
  add("chunk data longer than its size", "RFC 9112 7.1", R,
      post(chunked, "3\r\nhello\r\n0\r\n\r\n"), {rejected});
  add("chunk data shorter than its size", "RFC 9112 7.1", R,
      post(chunked, "7\r\nhello\r\n0\r\n\r\n"), {rejected});
  // --- smuggling: two framings, or one the server might read differently than a proxy ------
  add("Content-Length then Transfer-Encoding", "RFC 9112 6.3", R,
      post(kHost + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\nG") + get,
      {rejected, closed({kPostAnswer})});
  add("Transfer-Encoding then Content-Length", "RFC 9112 6.3", R,
      post(kHost + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n", "0\r\n\r\n") + get,
      {rejected, closed({kPostAnswer})});
  add("two Content-Length values", "RFC 9112 6.3", R,
      post(kHost + "Content-Length: 3\r\nContent-Length: 5\r\n", "hello") + get, {rejected});
  add("Content-Length not a number", "RFC 9112 6.3", R,
      post(kHost + "Content-Length: abc\r\n", "abc") + get, {rejected});
  add("negative Content-Length", "RFC 9112 6.3", R, post(kHost + "Content-Length: -1\r\n") + get,
      {rejected});
  add("Content-Length with a plus sign", "RFC 9112 6.3", R,
      post(kHost + "Content-Length: +5\r\n", "hello") + get, {rejected});
  add("Content-Length with an inner space", "RFC 9112 6.3", R,
      post(kHost + "Content-Length: 1 2\r\n") + get, {rejected});
  add("Content-Length beyond any size", "RFC 9112 6.3", R,
      post(kHost + "Content-Length: 99999999999999999999999\r\n") + get, {closed({{400, 413}})});
  add("Transfer-Encoding chunked, gzip (chunked not last)", "RFC 9112 6.3", R,
      post(kHost + "Transfer-Encoding: chunked, gzip\r\n", "0\r\n\r\n") + get, {rejected});
  add("Transfer-Encoding gzip alone", "RFC 9112 6.3", R,
      post(kHost + "Transfer-Encoding: gzip\r\n", "0\r\n\r\n") + get, {rejected});
  add("Transfer-Encoding chunked twice", "RFC 9112 6.1", R,
      post(kHost + "Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n") + get,
      {closed({{400, 501}})});
  add("Transfer-Encoding xchunked", "RFC 9112 6.1", R,
      post(kHost + "Transfer-Encoding: xchunked\r\n", "0\r\n\r\n") + get, {closed({{400, 501}})});
  add("Transfer-Encoding with a space before the colon", "RFC 9112 5.1", R,
      post(kHost + "Content-Length: 5\r\nTransfer-Encoding : chunked\r\n", "0\r\n\r\n") + get,
      {rejected});
  add("Transfer-Encoding obs-folded beside Content-Length", "RFC 9112 5.2", R,
      post(kHost + "Content-Length: 5\r\nTransfer-Encoding:\r\n chunked\r\n", "0\r\n\r\n") + get,
      {rejected, closed({kPostAnswer})});
  add("Transfer-Encoding in an HTTP/1.0 request", "RFC 9112 6.1", R,
      post("Transfer-Encoding: chunked\r\n", "0\r\n\r\n", "HTTP/1.0") + get,
      {rejected, closed({kPostAnswer})});
  // --- field syntax ------------------------------------------------------------------------
  add("space before a colon", "RFC 9112 5.1", R, get_with("X-A : b"), {rejected});
  add("obs-fold", "RFC 9112 5.2", R, get_with("X-A: a\r\n b"), {rejected, repaired});
  add("whitespace before the first field line", "RFC 9112 2.2", R,
      "GET " + target + " HTTP/1.1\r\n X-A: b\r\nHost: h\r\n\r\n", {rejected, repaired});
  add("bare CR in a field value", "RFC 9112 2.2", R, get_with("X-A: a\rb"), {rejected, repaired});
  add("NUL in a field value", "RFC 9110 5.5", R, get_with("X-A: a\0b"s), {rejected, repaired});
  add("field line without a colon", "RFC 9112 5", R, get_with("X-A b"), {rejected});
  add("empty field name", "RFC 9112 5", R, get_with(": b"), {rejected});
  add("field name not a token", "RFC 9110 5.1", R, get_with("X(A): b"), {rejected});
  add("bare LF line endings", "RFC 9112 2.2", R, "GET " + target + " HTTP/1.1\nHost: h\n\n",
      {rejected, repaired});
  add("field section past 8 KiB", "RFC 9110 15.5 / RFC 6585 5", R,
      get_with("X-Big: " + std::string(9000, 'b')), {closed({{400, 431}})});
  // --- Host --------------------------------------------------------------------------------
  add("HTTP/1.1 without Host", "RFC 9112 3.2", R, "GET " + target + " HTTP/1.1\r\n\r\n",
      {rejected});
  add("two Host fields", "RFC 9112 3.2", R, get_with("Host: h"), {rejected});
  add("Host with a space", "RFC 9112 3.2", R, get_host("a b"), {rejected});
  add("Host with a slash", "RFC 9112 3.2", R, get_host("a/b"), {rejected});
  add("Host with userinfo", "RFC 9112 3.2", R, get_host("user@h"), {rejected});
  add("Host with a port that is not a number", "RFC 9112 3.2", R, get_host("h:8x"), {rejected});
  // --- request line ------------------------------------------------------------------------
  add("method not a token", "RFC 9112 3.1", R, request("G@T " + target + " HTTP/1.1"), {rejected});
  // RFC 9112 section 3 lets a recipient split the request line on any whitespace.
  add("two spaces before the target", "RFC 9112 3", R, request("GET  " + target + " HTTP/1.1"),
      {rejected, repaired});
  add("space inside the target", "RFC 9112 3", R, request("GET /a b HTTP/1.1"), {rejected});
  add("NUL in the request line", "RFC 9112 3", R, request("GET /\0 HTTP/1.1"s), {rejected});
  add("lower-case HTTP version", "RFC 9112 2.3", R, request("GET " + target + " http/1.1"),
      {rejected});
  add("HTTP version without a minor", "RFC 9112 2.3", R, request("GET " + target + " HTTP/1"),
      {rejected});
  add("asterisk-form with GET", "RFC 9112 3.2.4", R, request("GET * HTTP/1.1"), {rejected});
  add("target with a bad percent-encoding", "RFC 3986 2.1", R, request("GET /a%zz HTTP/1.1"),
      {rejected});
  add("request-target past 8 KiB", "RFC 9112 3", R,
      request("GET /" + std::string(9000, 'a') + " HTTP/1.1"), {closed({{414}})});

  // --- recommended ---------------------------------------------------------------------------
  add("empty line before the request line", "RFC 9112 2.2", S, "\r\n" + get, {ok});
  add("unknown method", "RFC 9110 9.1", S, request("FROB " + target + " HTTP/1.1"),
      {open({{501}}), closed({{501}})});
  add("lower-case method (methods are case-sensitive)", "RFC 9110 9.1", S,
      request("get " + target + " HTTP/1.1"), {open({{501}}), closed({{501}})});
  add("method the resource does not allow, with Allow", "RFC 9110 15.5.6", S,
      request("DELETE " + target + " HTTP/1.1"), {open({{405}}), closed({{405}})})
      .needs_allow = true;
  add("HTTP/1.2 served as HTTP/1.1", "RFC 9110 2.5", S, request("GET " + target + " HTTP/1.2"),
      {ok});
  add("HTTP/2.0 in an HTTP/1 request line", "RFC 9110 15.6.6", S,
      request("GET " + target + " HTTP/2.0"), {open({{505}}), closed({{505}})});
  add("OPTIONS *", "RFC 9110 9.3.7", S, request("OPTIONS * HTTP/1.1"), {open({{200, 204}})});
  add("HTTP/1.0 keep-alive", "RFC 9112 C.2.2", S,
      request("GET " + target + " HTTP/1.0", "Connection: keep-alive\r\n"), {ok});
  add("Expect: 100-continue before the body", "RFC 9110 10.1.1", S,
      request("GET " + target + " HTTP/1.1",
              kHost + "Expect: 100-continue\r\nContent-Length: 5\r\n"),
      {open({{100}, {200}})})
      .body = "hello";
  add("Expect: 100-continue on a request refused at its head", "RFC 9110 10.1.1", S,
      request("DELETE " + target + " HTTP/1.1",
              kHost + "Expect: 100-continue\r\nContent-Length: 5\r\n"),
      {closed({{405}}), open({{100}, {405}}), closed({{100}, {405}})})
      .body = "hello";
  add("Transfer-Encoding gzip, chunked (an unknown coding)", "RFC 9112 6.1", S,
      post(kHost + "Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n") + get, {closed({{501}})});
  add("control byte in a field value", "RFC 9110 5.5", S, get_with("X-A: a\x01"), {rejected});
  add("field section past 8 KiB answered 431", "RFC 6585 5", S,
      get_with("X-Big: " + std::string(9000, 'b')), {closed({{431}})});
  add("obs-text (UTF-8) in a field value", "RFC 9110 5.5", S, get_with("X-A: caf\xc3\xa9"), {ok});
  add("Host with an empty port", "RFC 9110 4.2.3", S, get_host("h:"), {ok});
  return c;
}

WireResult run_wire_case(std::uint16_t port, const WireCase& wire_case, const std::string& target,
                         std::chrono::milliseconds patience) {
  Client client = Client::connect(port, patience);
  if (!client.ok()) return failed("could not connect: " + client.error());
  std::size_t expected = 0;
  for (const Outcome& outcome : wire_case.allowed) {
    expected = std::max(expected, outcome.statuses.size());
  }
  AnswerReader reader(client.fd(), wire_case.head_method);
  // A send may fail once the server has closed on what came before: the answers tell.
  client.send_all(wire_case.bytes, patience);
  if (!wire_case.body.empty()) {
    // The head alone: the server answers 100 or a final status before the body comes.
    if (!reader.read_answers(1, patience)) return failed("not an HTTP answer");
    if (reader.answers().empty()) {
      return failed("no answer to the head within " + std::to_string(patience.count()) + " ms");
    }
    if (reader.answers().front().status == 100) client.send_all(wire_case.body, patience);
  }
  if (!reader.read_answers(expected, patience)) return failed("not an HTTP answer");
  // Closed, or open: the end of the stream, or else an answer to one more GET (a server that
  // closed answers that with the end of the stream or a reset).
  bool closed_after = reader.ended();
  std::string note;
  const std::vector<Answer> answers = reader.answers();  // the case's, before any follow-up
  const std::size_t answered = answers.size();
  if (!closed_after) {
    const std::string followup = "GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n";
    const bool sent = client.send_all(followup, patience);
    if (sent && reader.read_answers(answered + 1, patience) && reader.answers().size() > answered) {
      if (const int status = reader.answers()[answered].status; status != 200) {
        note = ", a GET after them got " + std::to_string(status);
      }
    } else if (!sent || reader.ended()) {
      closed_after = true;
    } else {
      note = ", no answer to a GET after them";
    }
  }
  std::string observed;
  for (std::size_t i = 0; i < answered; ++i) {
    observed += std::to_string(answers[i].status) + " ";
  }
  if (answered == 0) observed = "no answer, ";
  observed += closed_after ? "closed" : "open";
  observed += note;
  if (wire_case.needs_allow && answered > 0 && !answers.front().has_allow) {
    return failed(observed + ", without Allow");
  }
  if (!note.empty()) return failed(observed);
  for (const Outcome& outcome : wire_case.allowed) {
    if (matches(outcome, answers, closed_after)) return {.passed = true, .observed = observed};
  }
  return failed(observed);
}

std::string describe_allowed(const WireCase& wire_case) {
  std::string text;
  for (const Outcome& outcome : wire_case.allowed) {
    text += (text.empty() ? "" : " | ") + describe_outcome(outcome);
  }
  return text;
}

std::string Score::summary() const {
  return "required " + std::to_string(required_passed) + "/" + std::to_string(required_total) +
         ", recommended " + std::to_string(recommended_passed) + "/" +
         std::to_string(recommended_total);
}

Score score(std::uint16_t port, const std::string& target, std::chrono::milliseconds patience) {
  Score result;
  for (const WireCase& wire_case : wire_cases(target)) {
    const WireResult outcome = run_wire_case(port, wire_case, target, patience);
    const bool required = wire_case.level == Level::required;
    (required ? result.required_total : result.recommended_total) += 1;
    if (outcome.passed) {
      (required ? result.required_passed : result.recommended_passed) += 1;
    } else {
      result.failures.push_back(std::string(required ? "[required] " : "[recommended] ") +
                                wire_case.name + " (" + wire_case.section + "): got " +
                                outcome.observed + ", allowed " + describe_allowed(wire_case));
    }
  }
  return result;
}

}  // namespace bench::test
