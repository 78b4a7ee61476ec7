#pragma once
// ResponseReader: one keep-alive connection's receive side for the clients that do their own
// reads (blocking sockets, Asio, libuv): a fixed buffer and corio's ResponseParser. The model
// reads into room(), reports the bytes with commit(), and gets a parsed response back.
//
// No allocation, ever (the processes model uses it in forked children): the buffer is inline
// and sized for this workload's answers (about 150 bytes: a status line, three short header
// lines and a two-byte body). A response that does not fit is reported as malformed.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include <corio/net/http_parser.hpp>

namespace workloads::common::fanout {

class ResponseReader {
 public:
  enum class State : std::uint8_t { need_more, complete, malformed };

  // Where the next read may put bytes; empty only when a response overflows the buffer
  // (commit() has reported `malformed` by then).
  std::span<char> room() noexcept { return {buffer_.data() + end_, buffer_.size() - end_}; }

  // `count` bytes were read into room(). After `complete`, status() and body() describe the
  // response until next() is called.
  State commit(std::size_t count) noexcept {
    end_ += count;
    const corio::net::http::ParseResult result =
        parser_.parse(std::string_view(buffer_.data(), end_));
    switch (result.status) {
      case corio::net::http::ParseStatus::complete:
        consumed_ = result.consumed;
        return State::complete;
      case corio::net::http::ParseStatus::error:
        error_ = result.error_reason;
        return State::malformed;
      case corio::net::http::ParseStatus::need_more:
        break;
    }
    if (end_ == buffer_.size()) {
      error_ = "response larger than the client's buffer";
      return State::malformed;
    }
    return State::need_more;
  }

  [[nodiscard]] int status() const noexcept { return parser_.response().status; }
  [[nodiscard]] std::string_view body() const noexcept { return parser_.response().body; }
  // The server said "Connection: close": this connection carries no further request.
  [[nodiscard]] bool closing() const noexcept { return !parser_.response().keep_alive; }
  [[nodiscard]] std::string_view error() const noexcept { return error_; }

  // Drops the answered response; bytes after it (none, without pipelining) are kept.
  void next() noexcept {
    std::memmove(buffer_.data(), buffer_.data() + consumed_, end_ - consumed_);
    end_ -= consumed_;
    consumed_ = 0;
  }
  // Forgets everything: for a new connection.
  void reset() noexcept {
    parser_.reset();
    end_ = consumed_ = 0;
  }

 private:
  std::array<char, 1024> buffer_;
  corio::net::http::ResponseParser parser_;
  std::size_t end_ = 0;
  std::size_t consumed_ = 0;
  std::string_view error_;
};

}  // namespace workloads::common::fanout
