// A connection's receive buffer and the answers (see requests.hpp).
#include "workloads/mixed/blocking_in_loop/requests.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <string_view>

namespace workloads::mixed::blocking_in_loop {
namespace {

namespace http = corio::net::http;

// The servers answer GETs without bodies: a request body above 4 KiB is refused (413), and
// the buffer holds the largest head plus body the parser lets through.
constexpr http::Limits kLimits{.max_head_bytes = std::size_t{8} * 1024,
                               .max_body_bytes = std::size_t{4} * 1024};
constexpr std::size_t kBufferBytes = kLimits.max_head_bytes + kLimits.max_body_bytes;
// Read into at least this much room: the partial request moves to the front when less is left.
constexpr std::size_t kMinRead = 2048;

Route route_of(const http::Request& request) noexcept {
  if (request.method != "GET" && request.method != "HEAD") return Route::not_found;
  if (request.path == "/cheap") return Route::cheap;
  if (request.path == "/expensive") return Route::expensive;
  return Route::not_found;
}

// A HEAD's answer (`head_only`) has the Content-Length of `body` and none of its bytes.
void append(std::string& out, int status, std::string_view body, bool keep_alive, bool http10,
            bool head_only = false) {
  // Status line, Content-Type, Content-Length, Connection lines and the blank line.
  constexpr std::size_t kHeadBound = 160;
  const std::string_view extra = keep_alive && http10 ? "Connection: keep-alive\r\n" : "";
  const std::size_t start = out.size();
  const std::size_t body_bytes = head_only ? 0 : body.size();
  out.resize(start + kHeadBound + extra.size() + body_bytes);
  const std::size_t head = http::write_response_head(std::span<char>(out).subspan(start), status,
                                                     "text/plain", body.size(), keep_alive, extra);
  std::memcpy(out.data() + start + head, body.data(), body_bytes);
  out.resize(start + head + body_bytes);
}

}  // namespace

RequestStream::RequestStream() : parser_(kLimits), data_(kBufferBytes) {}

std::span<char> RequestStream::room() noexcept {
  if (data_.size() - end_ < kMinRead && begin_ > 0) {
    std::memmove(data_.data(), data_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  return {data_.data() + end_, data_.size() - end_};
}

ParsedRequest RequestStream::next() noexcept {
  const http::ParseResult result =
      parser_.parse(std::string_view(data_.data() + begin_, end_ - begin_));
  ParsedRequest parsed;
  if (result.status == http::ParseStatus::need_more) return parsed;
  if (result.status == http::ParseStatus::error) {
    parsed.kind = ParsedRequest::Kind::malformed;
    parsed.keep_alive = false;
    parsed.error_status = result.error_status;
    return parsed;
  }
  const http::Request& request = parser_.request();
  parsed.kind = ParsedRequest::Kind::request;
  parsed.route = route_of(request);
  parsed.keep_alive = request.keep_alive;
  parsed.http10 = request.version_minor == 0;
  parsed.head = request.method == "HEAD";
  begin_ += result.consumed;
  if (begin_ == end_) begin_ = end_ = 0;  // the common case: the burst was answered whole
  return parsed;
}

void append_answer(std::string& out, const ParsedRequest& request, std::uint64_t work_result) {
  if (request.kind == ParsedRequest::Kind::malformed) {
    append(out, request.error_status, http::status_text(request.error_status), false, false);
    return;
  }
  switch (request.route) {
    case Route::cheap:
      append(out, 200, "ok", request.keep_alive, request.http10, request.head);
      return;
    case Route::expensive: {
      std::array<char, 24> body{'o', 'k', ' '};
      const auto end = std::to_chars(body.data() + 3, body.data() + body.size(), work_result).ptr;
      append(out, 200, std::string_view(body.data(), end), request.keep_alive, request.http10,
             request.head);
      return;
    }
    case Route::not_found:
      append(out, 404, "Not Found", request.keep_alive, request.http10, request.head);
      return;
  }
}

}  // namespace workloads::mixed::blocking_in_loop
