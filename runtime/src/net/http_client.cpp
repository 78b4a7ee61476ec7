// The load generator's HTTP/1.1 client: a request head formatted into a reused buffer, a
// response parsed in place in the receive buffer.
#include <algorithm>
#include <cstring>
#include <span>
#include <string>
#include <utility>

#include <corio/net/http_client.hpp>

namespace corio::net::http {

Client::Client(TcpStream stream, std::string host, Limits limits)
    : stream_(std::move(stream)),
      host_(std::move(host)),
      parser_(limits),
      buffer_(std::size_t{4} * 1024),
      most_(std::max(buffer_.size(), limits.max_head_bytes + limits.max_body_bytes)),
      request_(512 + host_.size()) {}

Task<Client> Client::connect(std::string host, std::uint16_t port, Limits limits) {
  TcpStream stream = co_await TcpStream::connect(host, port);
  co_return Client(std::move(stream), std::move(host), limits);
}

Task<Client::Result> Client::get(std::string_view target) {
  if (!stream_.is_open())
    throw HttpError("corio::net::http::Client::get: the connection is closed");
  // The previous response's bytes are no longer needed.
  begin_ += std::exchange(last_size_, 0);
  if (begin_ == end_) begin_ = end_ = 0;

  if (request_.size() < target.size() + host_.size() + 64) {
    request_.resize(target.size() + host_.size() + 64);
  }
  const std::size_t head = write_request_head(request_, "GET", target, host_, true);
  co_await stream_.write_all(std::span<const char>(request_.data(), head));

  for (;;) {
    const ParseResult result =
        parser_.parse(std::string_view(buffer_.data() + begin_, end_ - begin_));
    if (result.status == ParseStatus::complete) {
      last_size_ = result.consumed;
      const Response& response = parser_.response();
      if (!response.keep_alive) stream_.close();  // the views stay valid: they are our buffer
      co_return Result{.status = response.status, .body = response.body};
    }
    if (result.status == ParseStatus::error) {
      stream_.close();
      throw HttpError("corio::net::http::Client::get " + std::string(target) +
                      ": malformed response (" + std::string(result.error_reason) + ")");
    }
    if (buffer_.size() - end_ < 2048 && begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (end_ == buffer_.size()) {
      if (buffer_.size() >= most_) {
        stream_.close();
        throw HttpError("corio::net::http::Client::get: response above the parser's limits");
      }
      buffer_.resize(std::min(most_, buffer_.size() * 2));
    }
    const std::size_t received =
        co_await stream_.read(std::span<char>(buffer_.data() + end_, buffer_.size() - end_));
    if (received == 0) {
      stream_.close();
      throw HttpError("corio::net::http::Client::get " + std::string(target) +
                      ": the server closed the connection before a whole response");
    }
    end_ += received;
  }
}

}  // namespace corio::net::http
