// HttpSession: see http_session.hpp.
#include "workloads/io/http_plaintext/http_session.hpp"

#include <algorithm>
#include <cstring>

#include "workloads/common/http_routes.hpp"

namespace workloads::io::http_plaintext {
namespace {

namespace http = corio::net::http;

constexpr std::size_t kInitialReceiveBytes = std::size_t{16} * 1024;
constexpr std::size_t kInitialSendBytes = std::size_t{16} * 1024;
// Read at least this much at a time: a shorter tail makes the partial request move to the
// front first.
constexpr std::size_t kMinRead = 2048;
// A reply head is at most this long (status line, three header lines, Server, Date, the
// Connection lines, an Allow line of at most 64 bytes), with room to spare.
constexpr std::size_t kMaxReplyHead = 320;

}  // namespace

HttpSession::HttpSession() : receive_(kInitialReceiveBytes), send_(kInitialSendBytes) {}

std::span<char> HttpSession::receive_room() {
  if (receive_begin_ == receive_end_) receive_begin_ = receive_end_ = 0;
  if (receive_.size() - receive_end_ < kMinRead && receive_begin_ > 0) {
    std::memmove(receive_.data(), receive_.data() + receive_begin_, receive_end_ - receive_begin_);
    receive_end_ -= receive_begin_;
    receive_begin_ = 0;
  }
  const std::size_t most = parser_.limits().max_head_bytes + parser_.limits().max_body_bytes;
  if (receive_end_ == receive_.size() && receive_.size() < most) {
    receive_.resize(std::min(most, receive_.size() * 2));
  }
  return {receive_.data() + receive_end_, receive_.size() - receive_end_};
}

void HttpSession::answer() {
  while (!closing_) {
    const std::string_view buffered(receive_.data() + receive_begin_,
                                    receive_end_ - receive_begin_);
    const http::ParseResult result = parser_.parse(buffered);
    if (result.status == http::ParseStatus::need_more) {
      answer_expectation();
      if (closing_) return;
      // A full buffer holding one unfinished request at its largest size cannot happen: the
      // parser reports 413/431 first. Guard anyway so that no model ever spins on it.
      if (receive_begin_ == 0 && receive_end_ == receive_.size() &&
          receive_.size() >= parser_.limits().max_head_bytes + parser_.limits().max_body_bytes) {
        append_reply(431, http::status_text(431), false, false, false);
        closing_ = true;
      }
      return;
    }
    expectation_answered_ = false;
    if (result.status == http::ParseStatus::error) {
      append_reply(result.error_status, http::status_text(result.error_status), false, false,
                   false);
      closing_ = true;
      return;
    }
    const http::Request& request = parser_.request();
    const http::Reply reply = common::plaintext_routes(request);
    append_reply(reply.status, reply.body, request.keep_alive, request.version_minor == 0,
                 request.method == "HEAD", reply.allow);
    receive_begin_ += result.consumed;
    if (!request.keep_alive) closing_ = true;
  }
}

void HttpSession::answer_expectation() {
  // The head of a request whose body is still to come: pending_head() is fresh only now,
  // right after the parse() that parsed the head, as corio's server reads it.
  const http::Request* head = parser_.pending_head();
  if (head == nullptr || !head->expect_continue || expectation_answered_) return;
  expectation_answered_ = true;
  const http::Reply early = common::plaintext_routes(*head);
  if (early.status >= 400) {
    // A final status without reading the body: the body's bytes would follow unframed, so the
    // connection closes after it (RFC 9110 section 10.1.1).
    append_reply(early.status, early.body, false, false, head->method == "HEAD", early.allow);
    closing_ = true;
    return;
  }
  constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  if (send_.size() - send_end_ < kContinue.size()) send_.resize(send_end_ + kContinue.size());
  std::memcpy(send_.data() + send_end_, kContinue.data(), kContinue.size());
  send_end_ += kContinue.size();
}

void HttpSession::sent(std::size_t bytes) noexcept {
  send_begin_ += bytes;
  if (send_begin_ == send_end_) send_begin_ = send_end_ = 0;
}

void HttpSession::append_reply(int status, std::string_view body, bool keep_alive, bool http10,
                               bool head_only, std::string_view allow) {
  // "Server: bench" is as long as corio's "Server: corio": the replies are the same size.
  const http::ReplyHeaderLines extra("bench", keep_alive && http10, allow);
  const std::size_t body_size = head_only ? 0 : body.size();
  // Grows only while a burst is larger than any before (amortised doubling).
  if (send_.size() - send_end_ < kMaxReplyHead + body_size) {
    send_.resize(std::max(send_.size() * 2, send_end_ + kMaxReplyHead + body_size));
  }
  const std::size_t head =
      http::write_response_head(std::span<char>(send_).subspan(send_end_), status, "text/plain",
                                body.size(), keep_alive, extra.view());
  send_end_ += head;
  // memcpy from a null data() (an empty body) is undefined even for 0 bytes.
  if (body_size > 0) std::memcpy(send_.data() + send_end_, body.data(), body_size);
  send_end_ += body_size;
}

}  // namespace workloads::io::http_plaintext
