// The load generator's HTTP response parser: see http_response_reader.hpp.
#include "harness/net/http_response_reader.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace harness {
namespace {

constexpr std::string_view kEndOfHead = "\r\n\r\n";

bool equals_ignoring_case(std::string_view a, std::string_view lower) {
  return a.size() == lower.size() &&
         std::equal(a.begin(), a.end(), lower.begin(), [](char x, char y) {
           return (x >= 'A' && x <= 'Z' ? static_cast<char>(x - 'A' + 'a') : x) == y;
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// "123" -> 123; -1 for anything else (empty, a sign, other characters, more than 18 digits).
std::int64_t parse_length(std::string_view text) {
  if (text.empty() || text.size() > 18) return -1;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

// Whether the comma-separated header value lists `token` (lower case), ignoring case.
bool lists_token(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const auto comma = value.find(',');
    if (equals_ignoring_case(trim(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

// 'text' with bytes outside printable ASCII as \xNN, and "..." when `cut`.
std::string quoted(std::string_view text, bool cut) {
  std::string out = "'";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && c != '\\' && c != '\'') {
      out += c;
    } else {
      constexpr std::string_view kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out + (cut ? "...'" : "'");
}

}  // namespace

HttpResponseReader::Step HttpResponseReader::feed(std::string_view data) {
  std::size_t used = 0;
  if (!in_body_) {
    if (head_.empty()) {
      const auto end = data.find(kEndOfHead);
      if (end == std::string_view::npos) {
        if (data.size() > kMaxHeadBytes) return fail("response head over 64 KiB");
        head_.assign(data);
        return {.consumed = data.size(), .progress = Progress::incomplete};
      }
      used = end + kEndOfHead.size();
      if (!parse_head(data.substr(0, used)))
        return {.consumed = used, .progress = Progress::malformed};
    } else {
      // The terminator may straddle the previous read and this one.
      const std::size_t had = head_.size();
      head_.append(data.substr(0, std::min(data.size(), kMaxHeadBytes + kEndOfHead.size())));
      const auto end = head_.find(kEndOfHead, had >= 3 ? had - 3 : 0);
      if (end == std::string::npos) {
        if (head_.size() > kMaxHeadBytes) return fail("response head over 64 KiB");
        return {.consumed = data.size(), .progress = Progress::incomplete};
      }
      head_.resize(end + kEndOfHead.size());
      used = head_.size() - had;
      const bool parsed = parse_head(head_);
      head_.clear();
      if (!parsed) return {.consumed = used, .progress = Progress::malformed};
    }
    in_body_ = true;
    body_left_ = content_length_;
    if (expected_ != nullptr) start_body();
  }
  const auto take =
      static_cast<std::size_t>(std::min(body_left_, static_cast<std::int64_t>(data.size() - used)));
  if (expected_ != nullptr && take > 0) compare_body(data.substr(used, take));
  body_seen_ += static_cast<std::int64_t>(take);
  used += take;
  body_left_ -= static_cast<std::int64_t>(take);
  return {.consumed = used,
          .progress = body_left_ == 0 ? Progress::complete : Progress::incomplete};
}

void HttpResponseReader::reset() noexcept {
  in_body_ = false;
  head_.clear();
  body_left_ = 0;
  status_ = 0;
  content_length_ = -1;
  closes_ = false;
  error_.clear();
  body_seen_ = 0;
  body_wrong_ = false;
  wrong_at_ = -1;
  excerpt_.clear();
}

// The head is parsed: a body of the wrong length is wrong whatever its bytes.
void HttpResponseReader::start_body() {
  const auto want = static_cast<std::int64_t>(expected_->bytes.size());
  if (expected_->prefix_only ? content_length_ < want : content_length_ != want) {
    body_wrong_ = true;
  }
}

// `chunk`: the body's bytes [body_seen_, body_seen_ + chunk.size()).
void HttpResponseReader::compare_body(std::string_view chunk) {
  if (body_wrong_) {  // the error path: only the message's excerpt is still wanted
    keep_excerpt(chunk);
    return;
  }
  const std::string& want = expected_->bytes;
  const auto at = static_cast<std::size_t>(body_seen_);
  if (at >= want.size()) return;  // past a prefix: anything goes
  const std::size_t n = std::min(chunk.size(), want.size() - at);
  if (std::memcmp(chunk.data(), want.data() + at, n) == 0) return;
  std::size_t i = 0;
  while (chunk[i] == want[at + i]) ++i;
  body_wrong_ = true;
  wrong_at_ = static_cast<std::int64_t>(at + i);
  excerpt_.assign(want, 0, std::min(at, kExcerptBytes));  // what came before matched
  keep_excerpt(chunk);
}

void HttpResponseReader::keep_excerpt(std::string_view chunk) {
  if (excerpt_.size() < kExcerptBytes) {
    excerpt_.append(chunk.substr(0, kExcerptBytes - excerpt_.size()));
  }
}

std::string ExpectedBody::describe() const {
  if (!compares()) return "any body";
  const std::string shown = quoted(std::string_view(bytes).substr(0, 60), bytes.size() > 60);
  if (prefix_only) return "a body starting with " + shown;
  return shown + " (" + std::to_string(bytes.size()) + " bytes)";
}

std::string HttpResponseReader::body_mismatch() const {
  if (!body_wrong_ || expected_ == nullptr) return "";
  const bool cut = static_cast<std::int64_t>(excerpt_.size()) < content_length_;
  std::string text =
      "body " + quoted(excerpt_, cut) + " (" + std::to_string(content_length_) + " bytes)";
  if (expected_->prefix_only) {
    text += " does not start with the expected " + quoted(expected_->bytes, false);
    if (wrong_at_ >= 0) text += ": byte " + std::to_string(wrong_at_) + " differs";
  } else {
    text += " differs from the expected " + expected_->describe();
    if (wrong_at_ >= 0) text += " at byte " + std::to_string(wrong_at_);
  }
  return text;
}

HttpResponseReader::Step HttpResponseReader::fail(std::string text) {
  error_ = std::move(text);
  return {.consumed = 0, .progress = Progress::malformed};
}

bool HttpResponseReader::parse_head(std::string_view head) {
  // "HTTP/1.1 200 OK\r\n": version, one space, three digits, then a space or the line's end.
  constexpr std::string_view kVersion = "HTTP/1.";
  if (head.size() < 13 || !head.starts_with(kVersion) || (head[7] != '0' && head[7] != '1') ||
      head[8] != ' ' || head[9] < '1' || head[9] > '5' || head[10] < '0' || head[10] > '9' ||
      head[11] < '0' || head[11] > '9' || (head[12] != ' ' && head[12] != '\r')) {
    const auto line_end = head.find('\r');
    error_ = "malformed status line '" +
             std::string(head.substr(0, std::min<std::size_t>(line_end, 60))) + "'";
    return false;
  }
  const bool http_1_0 = head[7] == '0';
  status_ = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');

  bool close = false;
  bool keep_alive = false;
  std::size_t line_start = head.find("\r\n") + 2;
  while (line_start + 2 < head.size()) {  // the final "\r\n" ends the head
    const std::size_t line_end = head.find("\r\n", line_start);
    const std::string_view line = head.substr(line_start, line_end - line_start);
    line_start = line_end + 2;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      error_ = "malformed header line '" + std::string(line.substr(0, 60)) + "'";
      return false;
    }
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    if (equals_ignoring_case(name, "content-length")) {
      const std::int64_t length = parse_length(value);
      if (length < 0 || (content_length_ >= 0 && length != content_length_)) {
        error_ = "invalid Content-Length '" + std::string(value.substr(0, 30)) + "'";
        return false;
      }
      content_length_ = length;
    } else if (equals_ignoring_case(name, "transfer-encoding")) {
      error_ = "Transfer-Encoding '" + std::string(value.substr(0, 30)) +
               "' is not supported (the load generator reads Content-Length bodies)";
      return false;
    } else if (equals_ignoring_case(name, "connection")) {
      close = close || lists_token(value, "close");
      keep_alive = keep_alive || lists_token(value, "keep-alive");
    }
  }
  if (content_length_ < 0) {
    if (status_ < 200 || status_ == 204 || status_ == 304) {
      content_length_ = 0;
    } else {
      error_ = "response " + std::to_string(status_) + " without Content-Length";
      return false;
    }
  }
  closes_ = close || (http_1_0 && !keep_alive);
  return true;
}

}  // namespace harness
