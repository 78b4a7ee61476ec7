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

// unreserved and sub-delims (RFC 3986 section 2): a reg-name's bytes besides pct-encoded.
constexpr ByteTable kRegNameChar = [] {
  ByteTable table{};
  for (char c = '0'; c <= '9'; ++c) table[index_of(c)] = true;
  for (char c = 'a'; c <= 'z'; ++c) table[index_of(c)] = true;
  for (char c = 'A'; c <= 'Z'; ++c) table[index_of(c)] = true;
  for (char c : std::string_view("-._~!$&'()*+,;=")) table[index_of(c)] = true;
  return table;
}();

// pchar, "/" and "?" (RFC 3986 section 3.3, 3.4): the bytes of an absolute-path and query
// besides pct-encoded. Not "#" (a fragment is never sent), nor " < > \ ^ ` { | }, which
// RFC 3986 does not allow anywhere.
constexpr ByteTable kPathChar = [] {
  ByteTable table = kRegNameChar;
  for (char c : std::string_view(":@/?")) table[index_of(c)] = true;
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
constexpr bool is_hex_digit(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr std::size_t hex_value(char c) noexcept {
  if (is_digit(c)) return static_cast<std::size_t>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<std::size_t>(c - 'a' + 10);
  return static_cast<std::size_t>(c - 'A' + 10);
}
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
  // The codings of every Transfer-Encoding line, as one list (RFC 9110 section 5.3).
  int chunked_count = 0;        // how many times "chunked" is listed
  bool chunked_last = false;    // the last coding listed is "chunked"
  bool other_coding = false;    // a coding other than chunked is listed
  bool invalid_coding = false;  // an empty list or a coding that is not a token
  bool connection_close = false;
  bool connection_keep_alive = false;
  bool expect_continue = false;
  int host_count = 0;
  bool host_invalid = false;
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

// Transfer-Encoding = #transfer-coding; transfer-coding = token *( OWS ";" OWS parameter ).
// Empty list elements are skipped (RFC 9110 section 5.6.1); a line with no coding is invalid.
void parse_transfer_encoding(std::string_view value, Framing& framing) noexcept {
  framing.transfer_encoding = true;
  bool any = false;
  for (;;) {
    const std::size_t comma = value.find(',');
    const std::string_view element = trim_spaces_and_tabs(value.substr(0, comma));
    if (!element.empty()) {
      any = true;
      const std::size_t semicolon = element.find(';');
      const std::string_view name = trim_spaces_and_tabs(element.substr(0, semicolon));
      bool token = !name.empty();
      for (char c : name) token = token && kTokenChar[index_of(c)];
      if (!token) {
        framing.invalid_coding = true;
      } else if (equals_lowercase(name, "chunked")) {
        // chunked takes no parameters (RFC 9112 section 7.1).
        if (semicolon != std::string_view::npos) framing.invalid_coding = true;
        ++framing.chunked_count;
      } else {
        framing.other_coding = true;
      }
      framing.chunked_last = token && equals_lowercase(name, "chunked");
    }
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  if (!any) framing.invalid_coding = true;
}

// Host = uri-host [ ":" port ] (RFC 9112 section 3.2, RFC 3986 section 3.2.2): an IP-literal
// in brackets or a reg-name (which also covers IPv4 addresses), then optional digits. Empty
// is valid (a target without an authority); userinfo, "/", spaces and the like are not.
bool is_valid_host(std::string_view value) noexcept {
  std::size_t pos = 0;
  if (!value.empty() && value.front() == '[') {
    const std::size_t close = value.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    for (char c : value.substr(1, close - 1)) {
      // IPv6address, IPvFuture ("v" HEXDIG "." ...): hex digits, ':', '.', and reg-name bytes.
      if (!kRegNameChar[index_of(c)] && c != ':') return false;
    }
    pos = close + 1;
  } else {
    // A tight loop over the common bytes first: this runs for every request.
    for (;;) {
      while (pos < value.size() && kRegNameChar[index_of(value[pos])]) ++pos;
      if (pos + 2 < value.size() && value[pos] == '%' && is_hex_digit(value[pos + 1]) &&
          is_hex_digit(value[pos + 2])) {
        pos += 3;
        continue;
      }
      break;
    }
  }
  if (pos == value.size()) return true;
  if (value[pos] != ':') return false;
  for (char c : value.substr(pos + 1)) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// Expect = #expectation; only "100-continue" means anything (RFC 9110 section 10.1.1).
bool lists_100_continue(std::string_view value) noexcept {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    if (equals_lowercase(trim_spaces_and_tabs(value.substr(0, comma)), "100-continue")) {
      return true;
    }
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
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
      parse_transfer_encoding(value, framing);
    } else if (equals_lowercase(name, "connection")) {
      parse_connection(value, framing);
    } else if (equals_lowercase(name, "host")) {
      ++framing.host_count;
      if (!is_valid_host(value)) framing.host_invalid = true;
    } else if (equals_lowercase(name, "expect")) {
      if (lists_100_continue(value)) framing.expect_continue = true;
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

// What each byte is to the one pass over a request line's target (parse_request_line).
enum TargetByte : std::uint8_t {
  kNotInTarget,   // a control byte, SP, DEL or non-ASCII: the target ends or is invalid
  kPlainByte,     // kPathChar but '?'
  kQuestionMark,  // '?': the query starts at the first one
  kPercentSign,   // '%': two hex digits must follow
  kOtherVisible,  // visible ASCII not allowed in origin-form ('#', '[', '"', ...)
};
constexpr std::array<TargetByte, 256> kTargetByte = [] {
  std::array<TargetByte, 256> table{};
  for (std::size_t b = 0x21; b <= 0x7E; ++b) table[b] = kPathChar[b] ? kPlainByte : kOtherVisible;
  table[index_of('?')] = kQuestionMark;
  table[index_of('%')] = kPercentSign;
  return table;
}();

// Bytes of a path and query (RFC 3986): kPathChar, or "%" followed by two hex digits.
bool is_path_and_query(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (kPathChar[index_of(c)]) continue;
    if (c != '%' || i + 2 >= text.size() || !is_hex_digit(text[i + 1]) ||
        !is_hex_digit(text[i + 2])) {
      return false;
    }
    i += 2;
  }
  return true;
}

// origin-form: absolute-path [ "?" query ].
bool is_origin_form(std::string_view target) noexcept {
  return !target.empty() && target.front() == '/' && is_path_and_query(target);
}

// Splits an origin-form target (or absolute-form's path and query) at the first '?'.
void split_path_and_query(std::string_view path_and_query, Request& request) noexcept {
  const std::size_t question = path_and_query.find('?');
  request.path = path_and_query.substr(0, question);
  request.query =
      question == std::string_view::npos ? std::string_view{} : path_and_query.substr(question + 1);
}

// What parse_request_line's pass over the target found, so that origin-form, the form of
// nearly every request, needs no second pass.
struct TargetScan {
  bool origin_bytes = true;                       // every byte is allowed in origin-form
  std::size_t question = std::string_view::npos;  // offset of the first '?'
};

// The request-target's four forms (RFC 9112 section 3.2), each with the method it goes with.
Failure parse_request_target(Request& request, TargetScan scan) noexcept {
  const std::string_view target = request.target;
  request.authority = {};
  const bool connect = request.method == "CONNECT";
  if (target.front() == '/') {
    if (connect) return {400, "CONNECT without an authority-form target"};
    if (!scan.origin_bytes) return {400, "invalid request target"};
    request.path = target.substr(0, scan.question);
    request.query = scan.question == std::string_view::npos ? std::string_view{}
                                                            : target.substr(scan.question + 1);
    return {};
  }
  if (target == "*") {
    if (request.method != "OPTIONS") return {400, "asterisk-form target without OPTIONS"};
    request.path = target;
    request.query = {};
    return {};
  }
  if (connect) {
    // authority-form: uri-host ":" port, the port required (RFC 9112 section 3.2.3).
    const std::size_t colon = target.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == target.size() || colon == 0 ||
        target.front() == ':' || !is_valid_host(target) ||
        (target.front() == '[' && target[colon - 1] != ']')) {
      return {400, "invalid authority-form target"};
    }
    request.authority = target;
    request.path = {};
    request.query = {};
    return {};
  }
  // absolute-form: only the schemes a server of http URIs serves (RFC 9110 section 4.2).
  std::size_t authority_start = 0;
  if (target.size() > 7 && equals_lowercase(target.substr(0, 7), "http://")) {
    authority_start = 7;
  } else if (target.size() > 8 && equals_lowercase(target.substr(0, 8), "https://")) {
    authority_start = 8;
  } else {
    return {400, "invalid request target"};
  }
  std::size_t authority_end = authority_start;
  while (authority_end < target.size() && target[authority_end] != '/' &&
         target[authority_end] != '?') {
    ++authority_end;
  }
  const std::string_view authority =
      target.substr(authority_start, authority_end - authority_start);
  // An http URI with an empty host is invalid (RFC 9110 section 4.2.1); userinfo ("user@")
  // is a phishing vector recipients should reject (section 4.2.4).
  if (authority.empty() || authority.front() == ':' || !is_valid_host(authority)) {
    return {400, "invalid authority in an absolute-form target"};
  }
  const std::string_view rest = target.substr(authority_end);
  if (rest.empty()) {
    request.path = "/";  // an empty path is "/" (RFC 9112 section 3.2.1): a static string
    request.query = {};
  } else if (rest.front() == '?') {
    if (!is_path_and_query(rest)) return {400, "invalid request target"};
    request.path = "/";
    request.query = rest.substr(1);
  } else {
    if (!is_origin_form(rest)) return {400, "invalid request target"};
    split_path_and_query(rest, request);
  }
  request.authority = authority;
  return {};
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
  TargetScan scan;
  for (end = target_start; end < line.size(); ++end) {
    const TargetByte kind = kTargetByte[index_of(line[end])];
    if (kind == kPlainByte) continue;
    if (kind == kQuestionMark) {
      if (scan.question == std::string_view::npos) scan.question = end - target_start;
    } else if (kind == kPercentSign) {
      // The target is followed by " HTTP/1.x", so a '%' at its end meets a space here.
      if (end + 2 >= line.size() || !is_hex_digit(line[end + 1]) || !is_hex_digit(line[end + 2])) {
        scan.origin_bytes = false;
      }
    } else if (kind == kOtherVisible) {
      scan.origin_bytes = false;
    } else {
      break;
    }
  }
  if (end == target_start) return {400, "empty request target"};
  if (end == line.size()) return {400, "request line without an HTTP version"};
  if (line[end] != ' ') return {400, "invalid character in request target"};
  request.target = line.substr(target_start, end - target_start);

  const std::string_view version = line.substr(end + 1);
  if (!is_http_version(version)) return {400, "malformed HTTP version"};
  if (version[5] != '1') return {505, "HTTP version other than 1.x"};
  // A later 1.x is read as 1.1, the highest minor version this parser conforms to (RFC 9110
  // section 2.5), as nginx does.
  request.version_minor = version[7] == '0' ? 0 : 1;
  return parse_request_target(request, scan);
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
    if (framing.invalid_coding) return {400, "invalid Transfer-Encoding"};
    if (!framing.chunked_last) return {400, "chunked is not the final transfer coding"};
    if (framing.chunked_count > 1) return {400, "chunked applied more than once"};
    if (framing.other_coding) return {501, "transfer coding other than chunked"};
  }
  if (framing.host_count > 1) return {400, "more than one Host header"};
  if (framing.host_count == 0 && request.version_minor == 1) {
    return {400, "HTTP/1.1 request without a Host header"};  // RFC 9112 section 3.2
  }
  if (framing.host_invalid) return {400, "invalid Host header"};
  const std::size_t length = framing.content_length.value_or(0);
  if (length > limits.max_body_bytes ||
      length > std::numeric_limits<std::size_t>::max() - scan.head_end) {
    return {413, "Content-Length above the body limit"};
  }
  scan.chunked = framing.transfer_encoding;
  if (!scan.chunked) scan.body_size = length;
  request.chunked = scan.chunked;
  request.chunked_body = {};
  request.body_size = length;
  request.keep_alive = keep_alive_for(request.version_minor, framing);
  request.expect_continue =
      framing.expect_continue && request.version_minor == 1 && (scan.chunked || length > 0);
  return {};
}

// The chunked body's scan (RFC 9112 section 7.1), one byte at a time so that it can stop and
// resume anywhere, in the states below; chunk data is skipped in one step.
//   chunked-body = *chunk last-chunk trailer-section CRLF
//   chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
//   chunk-ext    = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
// Extensions are checked byte by byte (tokens, "=", ";", whitespace, quoted strings), not
// by their full grammar: they are ignored, and what matters for smuggling is that they
// cannot hide a CR or LF. Trailer lines are field lines, checked like header lines.
enum ChunkState : std::uint8_t {
  kSizeFirst,         // the first hex digit of a chunk size
  kSize,              // more hex digits, or what follows them
  kSizeSpace,         // whitespace after the size: more of it or ';' must follow
  kExtension,         // in a chunk extension
  kExtensionQuoted,   // in a quoted-string of a chunk extension
  kExtensionEscaped,  // after a backslash in a quoted-string
  kSizeLf,            // the LF ending a chunk-size line
  kData,              // chunk data: chunk_size bytes left
  kDataCr,            // the CR after chunk data
  kDataLf,            // the LF after chunk data
  kTrailerStart,      // the start of a trailer line or of the final CRLF
  kTrailerName,       // a trailer field name
  kTrailerValue,      // a trailer field value
  kTrailerLf,         // the LF ending a trailer line
  kFinalLf,           // the LF ending the chunked body
  kDone,
};

// Advances scan.chunk_pos over buffered[chunk_pos, most); sets kDone at the body's end.
Failure scan_chunked_body(std::string_view buffered, const Limits& limits,
                          detail::HeadScan& scan) noexcept {
  // A request must fit a receive buffer of max_head_bytes + max_body_bytes (see the header).
  const std::size_t most =
      limits.max_head_bytes > std::numeric_limits<std::size_t>::max() - limits.max_body_bytes
          ? std::numeric_limits<std::size_t>::max()
          : limits.max_head_bytes + limits.max_body_bytes;
  const std::size_t end = std::min(buffered.size(), most);
  std::size_t pos = scan.chunk_pos;
  auto state = static_cast<ChunkState>(scan.chunk_state);
  while (pos < end && state != kDone) {
    if (state == kData) {
      const std::size_t take = std::min(scan.chunk_size, end - pos);
      pos += take;
      scan.chunk_size -= take;
      if (scan.chunk_size == 0) state = kDataCr;
      continue;
    }
    const char c = buffered[pos++];
    switch (state) {
      case kSizeFirst:
        if (!is_hex_digit(c)) return {400, "invalid chunk size"};
        scan.chunk_size = hex_value(c);
        state = kSize;
        break;
      case kSize:
        if (is_hex_digit(c)) {
          // 16 hex digits fill 64 bits; nginx answers 400 to a size that overflows.
          if (scan.chunk_size > (std::numeric_limits<std::size_t>::max() >> 4)) {
            return {400, "chunk size overflow"};
          }
          scan.chunk_size = scan.chunk_size * 16 + hex_value(c);
        } else if (c == ';') {
          state = kExtension;
        } else if (is_space_or_tab(c)) {
          state = kSizeSpace;
        } else if (c == '\r') {
          state = kSizeLf;
        } else {
          return {400, "invalid character in a chunk size"};
        }
        break;
      case kSizeSpace:
        if (c == ';') {
          state = kExtension;
        } else if (!is_space_or_tab(c)) {
          return {400, "whitespace after a chunk size without an extension"};
        }
        break;
      case kExtension:
        if (c == '\r') {
          state = kSizeLf;
        } else if (c == '"') {
          state = kExtensionQuoted;
        } else if (!kTokenChar[index_of(c)] && c != ';' && c != '=' && !is_space_or_tab(c)) {
          return {400, "invalid character in a chunk extension"};
        }
        break;
      case kExtensionQuoted:
        if (c == '"') {
          state = kExtension;
        } else if (c == '\\') {
          state = kExtensionEscaped;
        } else if (!kFieldValueChar[index_of(c)]) {
          return {400, "invalid character in a chunk extension"};
        }
        break;
      case kExtensionEscaped:
        if (!kFieldValueChar[index_of(c)]) return {400, "invalid character in a chunk extension"};
        state = kExtensionQuoted;
        break;
      case kSizeLf:
        if (c != '\n') return {400, "chunk-size line without CRLF"};
        if (scan.chunk_size > limits.max_body_bytes - scan.body_size) {
          return {413, "chunked body above the body limit"};
        }
        scan.body_size += scan.chunk_size;
        state = scan.chunk_size == 0 ? kTrailerStart : kData;
        break;
      case kDataCr:
        if (c != '\r') return {400, "chunk data longer than its size"};
        state = kDataLf;
        break;
      case kDataLf:
        if (c != '\n') return {400, "chunk data without CRLF after it"};
        state = kSizeFirst;
        break;
      case kTrailerStart:
        if (c == '\r') {
          state = kFinalLf;
        } else if (kTokenChar[index_of(c)]) {
          state = kTrailerName;
        } else {
          return {400, "invalid trailer field"};  // obs-fold, bare LF, a space, ...
        }
        break;
      case kTrailerName:
        if (c == ':') {
          state = kTrailerValue;
        } else if (!kTokenChar[index_of(c)]) {
          return {400, "invalid trailer field"};
        }
        break;
      case kTrailerValue:
        if (c == '\r') {
          state = kTrailerLf;
        } else if (!kFieldValueChar[index_of(c)]) {
          return {400, "invalid character in a trailer field"};
        }
        break;
      case kTrailerLf:
        if (c != '\n') return {400, "trailer line without CRLF"};
        state = kTrailerStart;
        break;
      case kFinalLf:
        if (c != '\n') return {400, "chunked body without its final CRLF"};
        state = kDone;
        break;
      case kData:
      case kDone:
        break;
    }
  }
  scan.chunk_pos = pos;
  scan.chunk_state = state;
  // `most` bytes buffered and the body not ended: the request cannot fit.
  if (state != kDone && buffered.size() >= most) {
    return {413, "chunked request with its framing above the head and body limits"};
  }
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
  if (buffered.size() < scan_.scanned || buffered.size() < scan_.chunk_pos) scan_ = {};
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
    scan_.chunk_pos = scan_.head_end;
    scan_.chunk_state = kSizeFirst;
  }
  std::size_t total = scan_.head_end + scan_.body_size;
  if (scan_.chunked) {
    if (Failure failure = scan_chunked_body(buffered, limits_, scan_)) {
      return error_ = error_result(failure);
    }
    if (scan_.chunk_state != kDone) return {};
    total = scan_.chunk_pos;
  }
  if (buffered.size() < total) return {};
  // The head arrived in an earlier call and the buffer may have moved since: the same bytes
  // parse the same way, and the views now point into this buffer.
  if (!head_parsed_now) (void)parse_request_head(buffered, limits_, scan_, request_);
  if (scan_.chunked) {
    request_.chunked_body = buffered.substr(scan_.head_end, total - scan_.head_end);
    request_.body_size = scan_.body_size;
  } else {
    request_.body = buffered.substr(scan_.head_end, scan_.body_size);
  }
  scan_ = {};
  return {
      .status = ParseStatus::complete, .consumed = total, .error_status = 0, .error_reason = {}};
}

std::optional<std::string_view> ChunkReader::next() noexcept {
  // The body was validated: hex digits, anything up to CRLF, data, CRLF; size 0 ends it.
  std::size_t size = 0;
  std::size_t pos = 0;
  while (pos < rest_.size() && is_hex_digit(rest_[pos])) size = size * 16 + hex_value(rest_[pos++]);
  if (size == 0) {
    rest_ = {};
    return std::nullopt;
  }
  const std::size_t data = rest_.find('\n', pos) + 1;
  const std::string_view chunk = rest_.substr(data, size);
  rest_.remove_prefix(std::min(rest_.size(), data + size + 2));
  return chunk;
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

namespace {

// "Date: <IMF-fixdate>\r\n" for this second, reformatted when the second changes.
std::string_view date_line() noexcept {
  constexpr std::string_view kName = "Date: ";
  constexpr std::size_t kSize = kName.size() + kHttpDateSize + 2;
  thread_local std::array<char, kSize> text{};
  thread_local std::time_t formatted_at = -1;
  const std::time_t now = std::time(nullptr);
  if (now != formatted_at) {
    std::memcpy(text.data(), kName.data(), kName.size());
    write_http_date(std::span<char>(text).subspan(kName.size()), now);
    text[kSize - 2] = '\r';
    text[kSize - 1] = '\n';
    formatted_at = now;
  }
  return {text.data(), kSize};
}

}  // namespace

ReplyHeaderLines::ReplyHeaderLines(std::string_view server, bool http10_keep_alive,
                                   std::string_view allow) noexcept {
  // 8 + 16 + 2 (Server) + 37 (Date) + 24 (Connection) + 7 + 64 + 2 (Allow) = 160.
  static_assert(kMaxBytes >=
                8 + kMaxServerBytes + 2 + 6 + kHttpDateSize + 2 + 24 + 7 + kMaxAllowBytes + 2);
  if (!server.empty() && server.size() <= kMaxServerBytes) {
    add("Server: ");
    add(server);
    add("\r\n");
  }
  add(date_line());
  if (http10_keep_alive) add("Connection: keep-alive\r\n");
  if (!allow.empty() && allow.size() <= kMaxAllowBytes) {
    add("Allow: ");
    add(allow);
    add("\r\n");
  }
}

void ReplyHeaderLines::add(std::string_view text) noexcept {
  std::memcpy(bytes_.data() + size_, text.data(), text.size());
  size_ += text.size();
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
