// HTTP/1.1 request and response parsing in two steps per message: an incremental search for
// the blank line ending the head (resumed where the previous call stopped), then one pass
// over the complete head. Waiting for the whole head keeps every check a plain function of
// its bytes, so a message fed whole or in pieces gets the same answer.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstring>
#include <ctime>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include <corio/net/http_parser.hpp>

namespace corio::net::http {
namespace {

using ByteTable = std::array<bool, 256>;

constexpr std::size_t index_of(char c) noexcept {
  return static_cast<std::size_t>(static_cast<unsigned char>(c));
}

// tchar (RFC 9110 section 5.6.2): the bytes of methods and header names.
constexpr ByteTable kTokenChar = [] {
  ByteTable table{};
  for (char c = '0'; c <= '9'; ++c) table[index_of(c)] = true;
  for (char c = 'a'; c <= 'z'; ++c) table[index_of(c)] = true;
  for (char c = 'A'; c <= 'Z'; ++c) table[index_of(c)] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) table[index_of(c)] = true;
  return table;
}();

// Visible ASCII (0x21..0x7E): the bytes of a request target. URIs are ASCII (RFC 3986).
constexpr ByteTable kTargetChar = [] {
  ByteTable table{};
  for (std::size_t b = 0x21; b <= 0x7E; ++b) table[b] = true;
  return table;
}();

// field-vchar, SP and HTAB (RFC 9110 section 5.5): the bytes of header values and reason
// phrases. obs-text (0x80..0xFF) is allowed; NUL, CR, LF and the other controls are not.
constexpr ByteTable kFieldValueChar = [] {
  ByteTable table{};
  table[index_of('\t')] = true;
  for (std::size_t b = 0x20; b <= 0x7E; ++b) table[b] = true;
  for (std::size_t b = 0x80; b <= 0xFF; ++b) table[b] = true;
  return table;
}();

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_space_or_tab(char c) noexcept { return c == ' ' || c == '\t'; }
constexpr char to_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// `lowercase` must be lower case already.
bool equals_lowercase(std::string_view text, std::string_view lowercase) noexcept {
  if (text.size() != lowercase.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (to_lower(text[i]) != lowercase[i]) return false;
  }
  return true;
}

std::string_view trim_spaces_and_tabs(std::string_view text) noexcept {
  while (!text.empty() && is_space_or_tab(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space_or_tab(text.back())) text.remove_suffix(1);
  return text;
}

// A reason to reject a message; status 0 means none.
struct Failure {
  constexpr Failure() noexcept = default;
  constexpr Failure(int status_code, std::string_view why) noexcept
      : status(status_code), reason(why) {}
  explicit operator bool() const noexcept { return status != 0; }

  int status = 0;
  std::string_view reason;
};

ParseResult error_result(Failure failure) noexcept {
  return {.status = ParseStatus::error,
          .consumed = 0,
          .error_status = failure.status,
          .error_reason = failure.reason};
}

// Searches buffered[scan.scanned, max_head_bytes) for the blank line ending the head,
// checking that every LF follows a CR. Sets scan.head_end when found.
Failure scan_head(std::string_view buffered, std::size_t max_head_bytes,
                  detail::HeadScan& scan) noexcept {
  const std::size_t window = std::min(buffered.size(), max_head_bytes);
  std::size_t pos = scan.scanned;
  while (pos < window) {
    const void* found = std::memchr(buffered.data() + pos, '\n', window - pos);
    if (found == nullptr) {
      pos = window;
      break;
    }
    const auto lf = static_cast<std::size_t>(static_cast<const char*>(found) - buffered.data());
    // A bare LF ends a line for some parsers and not for others: a smuggling hazard.
    if (lf == 0 || buffered[lf - 1] != '\r') return {400, "LF without a CR before it"};
    pos = lf + 1;
    if (lf - 1 == scan.line_start) {  // an empty line
      if (scan.first_line_end != 0) {
        scan.head_end = pos;
        scan.scanned = pos;
        return {};
      }
      scan.start = pos;  // before the start line: skipped (RFC 9112 section 2.2)
    } else if (scan.first_line_end == 0) {
      scan.first_line_end = pos;
    }
    scan.line_start = pos;
  }
  scan.scanned = pos;
  if (buffered.size() > max_head_bytes) {
    if (scan.first_line_end == 0) return {414, "request line longer than the head limit"};
    return {431, "request head larger than the limit"};
  }
  return {};
}

// What the header fields say about framing and the connection.
struct Framing {
  std::optional<std::size_t> content_length;  // saturates at SIZE_MAX
  bool transfer_encoding = false;
  bool connection_close = false;
  bool connection_keep_alive = false;
  int host_count = 0;
};

// 1*DIGIT, saturating at SIZE_MAX (RFC 9110 section 8.6 asks parsers not to overflow).
std::optional<std::size_t> parse_content_length(std::string_view value) noexcept {
  if (value.empty()) return std::nullopt;
  constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max();
  std::size_t length = 0;
  for (char c : value) {
    if (!is_digit(c)) return std::nullopt;
    const auto digit = static_cast<std::size_t>(c - '0');
    length = length > (kMax - digit) / 10 ? kMax : length * 10 + digit;
  }
  return length;
}

void parse_connection(std::string_view value, Framing& framing) noexcept {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    const std::string_view option = trim_spaces_and_tabs(value.substr(0, comma));
    if (equals_lowercase(option, "close")) framing.connection_close = true;
    if (equals_lowercase(option, "keep-alive")) framing.connection_keep_alive = true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

// Parses the header lines of `head` from `pos` up to the blank line. scan_head has checked
// that every line ends in CRLF and that the blank line ends `head`.
Failure parse_header_lines(std::string_view head, std::size_t pos, std::size_t max_headers,
                           HeaderList& headers, Framing& framing) noexcept {
  for (;;) {
    const std::size_t lf = head.find('\n', pos);
    const std::string_view line = head.substr(pos, lf - 1 - pos);
    pos = lf + 1;
    if (line.empty()) return {};
    // obs-fold, or whitespace between the start line and the first field (RFC 9112 2.2, 5.2).
    if (is_space_or_tab(line.front())) return {400, "header line starts with whitespace"};
    std::size_t colon = 0;
    while (colon < line.size() && kTokenChar[index_of(line[colon])]) ++colon;
    if (colon == line.size()) return {400, "header line without a colon"};
    if (line[colon] != ':') {
      if (is_space_or_tab(line[colon])) return {400, "whitespace before a header's colon"};
      return {400, "invalid character in a header name"};
    }
    if (colon == 0) return {400, "empty header name"};
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim_spaces_and_tabs(line.substr(colon + 1));
    for (char c : value) {
      if (!kFieldValueChar[index_of(c)]) return {400, "invalid character in a header value"};
    }
    if (headers.size() >= max_headers || !headers.push_back({.name = name, .value = value})) {
      return {431, "too many header fields"};
    }
    if (equals_lowercase(name, "content-length")) {
      const std::optional<std::size_t> length = parse_content_length(value);
      if (!length) return {400, "invalid Content-Length"};
      if (framing.content_length && *framing.content_length != *length) {
        return {400, "Content-Length repeated with a different value"};
      }
      framing.content_length = length;
    } else if (equals_lowercase(name, "transfer-encoding")) {
      framing.transfer_encoding = true;
    } else if (equals_lowercase(name, "connection")) {
      parse_connection(value, framing);
    } else if (equals_lowercase(name, "host")) {
      ++framing.host_count;
    }
  }
}

bool keep_alive_for(int version_minor, const Framing& framing) noexcept {
  if (framing.connection_close) return false;
  return version_minor >= 1 || framing.connection_keep_alive;
}

// "HTTP/" DIGIT "." DIGIT, the name case-sensitive (RFC 9112 section 2.3).
bool is_http_version(std::string_view text) noexcept {
  return text.size() == 8 && text.substr(0, 5) == "HTTP/" && is_digit(text[5]) && text[6] == '.' &&
         is_digit(text[7]);
}

// method SP request-target SP HTTP-version, with exactly one SP between the three.
Failure parse_request_line(std::string_view line, Request& request) noexcept {
  std::size_t end = 0;
  while (end < line.size() && kTokenChar[index_of(line[end])]) ++end;
  if (end == line.size()) return {400, "request line without a target"};
  if (line[end] != ' ') return {400, "invalid character in method"};
  if (end == 0) return {400, "empty method"};
  request.method = line.substr(0, end);

  const std::size_t target_start = end + 1;
  end = target_start;
  while (end < line.size() && kTargetChar[index_of(line[end])]) ++end;
  if (end == target_start) return {400, "empty request target"};
  if (end == line.size()) return {400, "request line without an HTTP version"};
  if (line[end] != ' ') return {400, "invalid character in request target"};
  request.target = line.substr(target_start, end - target_start);

  const std::string_view version = line.substr(end + 1);
  if (!is_http_version(version)) return {400, "malformed HTTP version"};
  if (version[5] != '1' || (version[7] != '0' && version[7] != '1')) {
    return {505, "HTTP version other than 1.0 and 1.1"};
  }
  request.version_minor = version[7] - '0';

  const std::size_t question = request.target.find('?');
  request.path = request.target.substr(0, question);
  request.query =
      question == std::string_view::npos ? std::string_view{} : request.target.substr(question + 1);
  return {};
}

// Parses the complete head found by scan_head and sets scan.body_size.
Failure parse_request_head(std::string_view buffered, const Limits& limits, detail::HeadScan& scan,
                           Request& request) noexcept {
  const std::string_view head = buffered.substr(0, scan.head_end);
  request.headers.clear();
  request.body = {};
  const std::string_view line = head.substr(scan.start, scan.first_line_end - 2 - scan.start);
  if (Failure failure = parse_request_line(line, request)) return failure;
  Framing framing;
  const std::size_t max_headers = std::min(limits.max_headers, kMaxHeaders);
  if (Failure failure =
          parse_header_lines(head, scan.first_line_end, max_headers, request.headers, framing)) {
    return failure;
  }
  // Transfer-Encoding with Content-Length is the classic smuggling vector (RFC 9112 6.3).
  if (framing.transfer_encoding) {
    if (framing.content_length) return {400, "both Transfer-Encoding and Content-Length"};
    if (request.version_minor == 0) return {400, "Transfer-Encoding in an HTTP/1.0 request"};
    return {501, "Transfer-Encoding (chunked request bodies) is not supported"};
  }
  if (framing.host_count > 1) return {400, "more than one Host header"};
  if (framing.host_count == 0 && request.version_minor == 1) {
    return {400, "HTTP/1.1 request without a Host header"};  // RFC 9112 section 3.2
  }
  const std::size_t length = framing.content_length.value_or(0);
  if (length > limits.max_body_bytes ||
      length > std::numeric_limits<std::size_t>::max() - scan.head_end) {
    return {413, "Content-Length above the body limit"};
  }
  scan.body_size = length;
  request.keep_alive = keep_alive_for(request.version_minor, framing);
  return {};
}

// HTTP-version SP 3DIGIT SP reason-phrase; the SP before an empty reason may be missing.
Failure parse_status_line(std::string_view line, Response& response) noexcept {
  if (line.size() < 12 || !is_http_version(line.substr(0, 8)) || line[8] != ' ' ||
      !is_digit(line[9]) || !is_digit(line[10]) || !is_digit(line[11]) || line[9] == '0') {
    return {502, "malformed status line"};
  }
  if (line[5] != '1' || (line[7] != '0' && line[7] != '1')) {
    return {502, "HTTP version other than 1.0 and 1.1"};
  }
  response.version_minor = line[7] - '0';
  response.status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
  response.reason = {};
  if (line.size() > 12) {
    if (line[12] != ' ') return {502, "malformed status line"};
    response.reason = line.substr(13);
    for (char c : response.reason) {
      if (!kFieldValueChar[index_of(c)]) return {502, "invalid character in reason phrase"};
    }
  }
  return {};
}

Failure parse_response_head(std::string_view buffered, const Limits& limits, bool head_request,
                            detail::HeadScan& scan, Response& response) noexcept {
  const std::string_view head = buffered.substr(0, scan.head_end);
  response.headers.clear();
  response.body = {};
  const std::string_view line = head.substr(scan.start, scan.first_line_end - 2 - scan.start);
  if (Failure failure = parse_status_line(line, response)) return failure;
  Framing framing;
  const std::size_t max_headers = std::min(limits.max_headers, kMaxHeaders);
  if (Failure failure =
          parse_header_lines(head, scan.first_line_end, max_headers, response.headers, framing)) {
    return failure;
  }
  std::size_t length = 0;
  const bool has_body =
      !head_request && response.status >= 200 && response.status != 204 && response.status != 304;
  if (has_body) {
    if (framing.transfer_encoding) return {502, "Transfer-Encoding responses are not supported"};
    if (!framing.content_length) return {502, "response body without Content-Length"};
    length = *framing.content_length;
    if (length > limits.max_body_bytes ||
        length > std::numeric_limits<std::size_t>::max() - scan.head_end) {
      return {502, "Content-Length above the body limit"};
    }
  }
  scan.body_size = length;
  response.keep_alive = keep_alive_for(response.version_minor, framing);
  return {};
}

// Appends to a caller's buffer; remembers running out of room instead of writing past it.
class HeadWriter {
 public:
  explicit HeadWriter(std::span<char> out) noexcept : out_(out) {}

  void put(std::string_view text) noexcept {
    if (text.empty()) return;  // memcpy from a null data() is undefined even for 0 bytes
    if (text.size() > out_.size() - size_) {
      fits_ = false;
      return;
    }
    std::memcpy(out_.data() + size_, text.data(), text.size());
    size_ += text.size();
  }
  void put(std::size_t number) noexcept {
    std::array<char, 20> digits{};  // SIZE_MAX has 20 decimal digits
    const auto written = std::to_chars(digits.data(), digits.data() + digits.size(), number);
    put(std::string_view(digits.data(), static_cast<std::size_t>(written.ptr - digits.data())));
  }
  [[nodiscard]] std::size_t finish() const noexcept { return fits_ ? size_ : 0; }

 private:
  std::span<char> out_;
  std::size_t size_ = 0;
  bool fits_ = true;
};

}  // namespace

std::optional<std::string_view> HeaderList::find(std::string_view name) const noexcept {
  for (const Header& header : *this) {
    if (header.name.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < name.size() && same; ++i) {
      same = to_lower(header.name[i]) == to_lower(name[i]);
    }
    if (same) return header.value;
  }
  return std::nullopt;
}

RequestParser::RequestParser(Limits limits) noexcept : limits_(limits) {}

void RequestParser::reset() noexcept {
  scan_ = {};
  error_ = {};
}

ParseResult RequestParser::parse(std::string_view buffered) noexcept {
  if (error_.status == ParseStatus::error) return error_;
  // A shorter buffer than last time breaks the contract; start over rather than read past it.
  if (buffered.size() < scan_.scanned) scan_ = {};
  bool head_parsed_now = false;
  if (scan_.head_end == 0) {
    if (Failure failure = scan_head(buffered, limits_.max_head_bytes, scan_)) {
      return error_ = error_result(failure);
    }
    if (scan_.head_end == 0) return {};
    if (Failure failure = parse_request_head(buffered, limits_, scan_, request_)) {
      return error_ = error_result(failure);
    }
    head_parsed_now = true;
  }
  const std::size_t total = scan_.head_end + scan_.body_size;
  if (buffered.size() < total) return {};
  // The head arrived in an earlier call and the buffer may have moved since: the same bytes
  // parse the same way, and the views now point into this buffer.
  if (!head_parsed_now) (void)parse_request_head(buffered, limits_, scan_, request_);
  request_.body = buffered.substr(scan_.head_end, scan_.body_size);
  scan_ = {};
  return {
      .status = ParseStatus::complete, .consumed = total, .error_status = 0, .error_reason = {}};
}

ResponseParser::ResponseParser(Limits limits) noexcept : limits_(limits) {}

void ResponseParser::reset() noexcept {
  scan_ = {};
  error_ = {};
}

ParseResult ResponseParser::parse(std::string_view buffered, bool head_request) noexcept {
  if (error_.status == ParseStatus::error) return error_;
  if (buffered.size() < scan_.scanned) scan_ = {};
  bool head_parsed_now = false;
  if (scan_.head_end == 0) {
    if (Failure failure = scan_head(buffered, limits_.max_head_bytes, scan_)) {
      if (failure.status == 414) failure.reason = "status line longer than the head limit";
      if (failure.status == 431) failure.reason = "response head larger than the limit";
      return error_ = error_result(Failure(502, failure.reason));
    }
    if (scan_.head_end == 0) return {};
    if (Failure failure = parse_response_head(buffered, limits_, head_request, scan_, response_)) {
      return error_ = error_result(Failure(502, failure.reason));
    }
    head_parsed_now = true;
  }
  const std::size_t total = scan_.head_end + scan_.body_size;
  if (buffered.size() < total) return {};
  if (!head_parsed_now) {
    (void)parse_response_head(buffered, limits_, head_request, scan_, response_);
  }
  response_.body = buffered.substr(scan_.head_end, scan_.body_size);
  scan_ = {};
  return {
      .status = ParseStatus::complete, .consumed = total, .error_status = 0, .error_reason = {}};
}

std::string_view status_text(int status) noexcept {
  // RFC 9110 section 15's names (413 was "Payload Too Large" before it), plus 431 (RFC 6585).
  static constexpr std::array<std::pair<int, std::string_view>, 34> kTexts = {{
      {100, "Continue"},
      {101, "Switching Protocols"},
      {200, "OK"},
      {201, "Created"},
      {202, "Accepted"},
      {204, "No Content"},
      {206, "Partial Content"},
      {301, "Moved Permanently"},
      {302, "Found"},
      {303, "See Other"},
      {304, "Not Modified"},
      {307, "Temporary Redirect"},
      {308, "Permanent Redirect"},
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {408, "Request Timeout"},
      {409, "Conflict"},
      {411, "Length Required"},
      {413, "Content Too Large"},
      {414, "URI Too Long"},
      {415, "Unsupported Media Type"},
      {417, "Expectation Failed"},
      {426, "Upgrade Required"},
      {429, "Too Many Requests"},
      {431, "Request Header Fields Too Large"},
      {500, "Internal Server Error"},
      {501, "Not Implemented"},
      {502, "Bad Gateway"},
      {503, "Service Unavailable"},
      {504, "Gateway Timeout"},
      {505, "HTTP Version Not Supported"},
  }};
  for (const auto& [code, text] : kTexts) {
    if (code == status) return text;
  }
  return "";
}

std::size_t write_response_head(std::span<char> out, int status, std::string_view content_type,
                                std::size_t content_length, bool keep_alive,
                                std::string_view extra_headers) noexcept {
  if (status < 100 || status > 999) return 0;
  HeadWriter writer(out);
  writer.put("HTTP/1.1 ");
  writer.put(static_cast<std::size_t>(status));
  writer.put(" ");
  writer.put(status_text(status));
  writer.put("\r\n");
  if (!content_type.empty()) {
    writer.put("Content-Type: ");
    writer.put(content_type);
    writer.put("\r\n");
  }
  writer.put("Content-Length: ");
  writer.put(content_length);
  writer.put("\r\n");
  if (!keep_alive) writer.put("Connection: close\r\n");
  writer.put(extra_headers);
  writer.put("\r\n");
  return writer.finish();
}

std::size_t write_request_head(std::span<char> out, std::string_view method,
                               std::string_view target, std::string_view host,
                               bool keep_alive) noexcept {
  HeadWriter writer(out);
  writer.put(method);
  writer.put(" ");
  writer.put(target);
  writer.put(" HTTP/1.1\r\nHost: ");
  writer.put(host);
  writer.put("\r\n");
  if (!keep_alive) writer.put("Connection: close\r\n");
  writer.put("\r\n");
  return writer.finish();
}

std::size_t write_http_date(std::span<char> out, std::time_t time) noexcept {
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm utc{};
  if (out.size() < kHttpDateSize || ::gmtime_r(&time, &utc) == nullptr) return 0;
  const int year = utc.tm_year + 1900;
  if (year < 0 || year > 9999) return 0;  // IMF-fixdate has four year digits
  HeadWriter writer(out);
  const auto two_digits = [&writer](int value) {
    const std::array<char, 2> digits = {static_cast<char>('0' + value / 10),
                                        static_cast<char>('0' + value % 10)};
    writer.put(std::string_view(digits.data(), digits.size()));
  };
  writer.put(kDays[static_cast<std::size_t>(utc.tm_wday)]);
  writer.put(", ");
  two_digits(utc.tm_mday);
  writer.put(" ");
  writer.put(kMonths[static_cast<std::size_t>(utc.tm_mon)]);
  writer.put(" ");
  two_digits(year / 100);
  two_digits(year % 100);
  writer.put(" ");
  two_digits(utc.tm_hour);
  writer.put(":");
  two_digits(utc.tm_min);
  writer.put(":");
  two_digits(utc.tm_sec);
  writer.put(" GMT");
  return writer.finish();
}

std::optional<std::string_view> find_query_param(std::string_view query,
                                                 std::string_view key) noexcept {
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::size_t equals = pair.find('=');
    if (pair.substr(0, equals) == key) {
      return equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

}  // namespace corio::net::http
