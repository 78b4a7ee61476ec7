#pragma once
// The routes the HTTP server tests serve: corio's server has none of its own, so the tests
// hand it this handler (the benchmarks' routes are workloads/common/http_routes.hpp, which
// the runtime does not see).
//
//   test_routes   GET /plaintext -> 200 "Hello, World!"; GET /delay?ms=N -> 200 "OK" after
//                 N ms (N of 1 to 7 digits, at most 3,600,000; else 400); HEAD alike;
//                 OPTIONS * -> 200 with Allow; another RFC 9110 method (or PATCH) on either
//                 path -> 405 with "Allow: GET, HEAD"; any other method, and CONNECT -> 501;
//                 any other path -> 404

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <string_view>

#include <corio/net/http_parser.hpp>
#include <corio/net/http_server.hpp>

namespace corio::testing {

inline corio::net::http::Reply test_routes(const corio::net::http::Request& request) noexcept {
  constexpr std::array<std::string_view, 8> kServable = {"GET",    "HEAD",    "POST",  "PUT",
                                                         "DELETE", "OPTIONS", "TRACE", "PATCH"};
  constexpr std::string_view kAllow = "GET, HEAD";
  if (std::find(kServable.begin(), kServable.end(), request.method) == kServable.end()) {
    return {.status = 501, .body = "Not Implemented"};  // CONNECT among them: no tunnels
  }
  if (request.path == "*") return {.status = 200, .body = {}, .allow = kAllow};
  const bool plaintext = request.path == "/plaintext";
  if (!plaintext && request.path != "/delay") return {.status = 404, .body = "Not Found"};
  if (request.method != "GET" && request.method != "HEAD") {
    return {.status = 405, .body = "Method Not Allowed", .allow = kAllow};
  }
  if (plaintext) return {.body = "Hello, World!"};
  const auto digits = corio::net::http::find_query_param(request.query, "ms");
  std::int64_t ms = 0;
  const bool digits_only = digits.has_value() && !digits->empty() && digits->size() <= 7 &&
                           digits->find_first_not_of("0123456789") == std::string_view::npos;
  if (digits_only) {
    for (const char c : *digits) ms = ms * 10 + (c - '0');
  }
  if (!digits_only || ms > 3'600'000) {
    return {.status = 400, .body = "Bad Request: /delay needs ms=N, 0 <= N <= 3600000"};
  }
  return {.body = "OK", .delay = std::chrono::milliseconds(ms)};
}

}  // namespace corio::testing
