#pragma once
// The routes the suite's HTTP servers answer, from one table that also makes the Allow lines:
// corio::net::http::serve's handler in corio's servers, and HttpSession's
// (io/http_plaintext/http_session.hpp) in every other model, so that all of them answer the
// same request with the same status.
//
//   workloads::common::kHelloWorld        the /plaintext body (TechEmpower's plaintext test)
//   workloads::common::http_routes        GET /plaintext and GET /delay?ms=N
//   workloads::common::plaintext_routes   GET /plaintext only, for servers that answer at once
//
// Both are corio::net::http::Handler functions: plain functions, no state, no allocation.
//   GET /plaintext      200 "Hello, World!" (text/plain)
//   GET /delay?ms=N     (http_routes only) Reply::delay of N ms (0 <= N <= 3,600,000, decimal
//                       digits), then 200 "OK"; a missing or malformed N is 400
//   HEAD of either      the same without the body (the server leaves the body out)
//   OPTIONS *           200, "Allow: GET, HEAD" (what every route allows)
//   another method      405 "Method Not Allowed" with "Allow: GET, HEAD", for a method of
//                       RFC 9110 or PATCH; 501 "Not Implemented" for any other method
//                       (methods are case-sensitive: "get" is 501) and for CONNECT, whatever
//                       the target (RFC 9110 section 9.1)
//   any other path      404 "Not Found"
// An absolute-form target ("http://host/plaintext") is routed by its path (Request::path).

#include <string_view>

#include <corio/net/http_parser.hpp>
#include <corio/net/http_server.hpp>

namespace workloads::common {

inline constexpr std::string_view kHelloWorld = "Hello, World!";

corio::net::http::Reply http_routes(const corio::net::http::Request& request) noexcept;

corio::net::http::Reply plaintext_routes(const corio::net::http::Request& request) noexcept;

}  // namespace workloads::common
