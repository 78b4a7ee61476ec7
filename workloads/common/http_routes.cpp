// The benchmark servers' routes: see http_routes.hpp.
#include "workloads/common/http_routes.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <span>

namespace workloads::common {
namespace {

namespace http = corio::net::http;

// Longest /delay accepted: an hour, so that N * 1 ms cannot overflow anything.
constexpr std::uint64_t kMaxDelayMs = 3'600'000;

http::Reply plaintext(const http::Request& /*request*/) noexcept { return {.body = kHelloWorld}; }

http::Reply delay(const http::Request& request) noexcept {
  const auto value = http::find_query_param(request.query, "ms");
  std::uint64_t ms = 0;
  bool valid = value.has_value() && !value->empty() && value->size() <= 7;
  if (valid) {
    for (const char c : *value) {
      if (c < '0' || c > '9') {
        valid = false;
        break;
      }
      ms = ms * 10 + static_cast<std::uint64_t>(c - '0');
    }
  }
  if (!valid || ms > kMaxDelayMs) {
    return {.status = 400, .body = "Bad Request: /delay needs ms=N, 0 <= N <= 3600000"};
  }
  return {.body = "OK", .delay = std::chrono::milliseconds(static_cast<std::int64_t>(ms))};
}

// A route and the methods it allows: the only place that says so, and where a 405's Allow
// line comes from. Every route allows the same methods today, which is also what OPTIONS *
// answers.
struct Route {
  std::string_view path;
  std::string_view allow;  // for the Allow line
  bool (*allows)(std::string_view method) noexcept;
  http::Reply (*answer)(const http::Request& request) noexcept;
};
constexpr std::string_view kGetHead = "GET, HEAD";
constexpr bool get_or_head(std::string_view method) noexcept {
  return method == "GET" || method == "HEAD";
}
constexpr Route kPlaintext{
    .path = "/plaintext", .allow = kGetHead, .allows = &get_or_head, .answer = &plaintext};
constexpr Route kDelay{
    .path = "/delay", .allow = kGetHead, .allows = &get_or_head, .answer = &delay};
constexpr std::array<Route, 2> kHttpRoutes = {kPlaintext, kDelay};
constexpr std::array<Route, 1> kPlaintextRoutes = {kPlaintext};

// RFC 9110 section 9's methods and PATCH (RFC 5789): a server knows them, so a resource that
// does not allow one answers 405; any other method is 501 (section 9.1).
bool is_known_method(std::string_view method) noexcept {
  constexpr std::array<std::string_view, 9> kKnown = {
      "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
  return std::find(kKnown.begin(), kKnown.end(), method) != kKnown.end();
}

http::Reply route(const http::Request& request, std::span<const Route> routes) noexcept {
  // CONNECT asks for a tunnel, which these servers do not make (nginx answers it 405).
  if (!is_known_method(request.method) || request.method == "CONNECT") {
    return {.status = 501, .body = "Not Implemented"};
  }
  if (request.path == "*") {  // asterisk-form: the parser lets it through with OPTIONS only
    return {.status = 200, .body = {}, .allow = kGetHead};
  }
  const auto found = std::find_if(routes.begin(), routes.end(),
                                  [&request](const Route& r) { return r.path == request.path; });
  if (found == routes.end()) return {.status = 404, .body = "Not Found"};
  if (!found->allows(request.method)) {
    return {.status = 405, .body = "Method Not Allowed", .allow = found->allow};
  }
  return found->answer(request);
}

}  // namespace

http::Reply http_routes(const http::Request& request) noexcept {
  return route(request, kHttpRoutes);
}

http::Reply plaintext_routes(const http::Request& request) noexcept {
  return route(request, kPlaintextRoutes);
}

}  // namespace workloads::common
