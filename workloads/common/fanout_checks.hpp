#pragma once
// What both client workloads (io/http_fanout, limit/concurrency_limit) check and report of a
// fan-out's answers, and how they name its limit.
//
//   limit_label(L)        "16", or "unlimited" for L = 0
//   failures_of(c, R)     "3 of 200 requests failed (first: ...)", or "" when none did
//   check_limits(...)     at most L connections, every latency at least D, and no more than
//                         min(L, capacity) requests served at once
//   microseconds(ns)      for the latency counters

#include <chrono>
#include <cstdint>
#include <string>

#include "workloads/common/fanout_client.hpp"

namespace workloads::common::fanout {

inline std::string limit_label(std::int64_t limit) {
  return limit == 0 ? std::string("unlimited") : std::to_string(limit);
}

// "3 of 200 requests failed (first: connect: Connection refused)", or "" when none did.
inline std::string failures_of(const ClientResult& client, std::int64_t requests) {
  if (client.failed == 0 && client.first_error.empty()) return "";
  return std::to_string(client.failed) + " of " + std::to_string(requests) +
         " requests failed (first: " + client.first_error + ")";
}

// The checks both client workloads make of the answered (200) requests: at most L
// connections, every latency at least D (the server's delay ran), a span from the first
// request to the last answer, and no shorter a span than `serving` = min(L, server capacity)
// requests in flight at a time, each at least D, allow.
inline std::string check_limits(const ClientResult& client, std::int64_t limit,
                                std::int64_t serving, std::chrono::milliseconds delay,
                                std::chrono::nanoseconds requesting) {
  if (client.connections < 1 || client.connections > limit) {
    return "opened " + std::to_string(client.connections) + " connections with a limit of " +
           std::to_string(limit);
  }
  if (client.latency.count() != client.ok) {
    return std::to_string(client.latency.count()) + " latencies recorded for " +
           std::to_string(client.ok) + " answered requests";
  }
  const std::chrono::nanoseconds delay_ns = delay;
  if (client.ok > 0 && client.latency.min_ns() < delay_ns.count()) {
    return "a request was answered after " + std::to_string(client.latency.min_ns()) +
           " ns, before the server's " + std::to_string(delay.count()) + " ms delay had passed";
  }
  if (client.ok > 0 && requesting <= std::chrono::nanoseconds::zero()) {
    return std::to_string(client.ok) +
           " requests were answered, but no span from the first request written to the last "
           "answer was recorded";
  }
  // R answers of at least D each, at most `serving` at a time, all written at or after the
  // first request, take at least R * D / serving from it.
  const double least_ns = static_cast<double>(client.ok) * static_cast<double>(delay_ns.count()) /
                          static_cast<double>(serving);
  if (static_cast<double>(requesting.count()) < least_ns) {
    return std::to_string(client.ok) + " answers took " + std::to_string(requesting.count()) +
           " ns, less than " + std::to_string(client.ok) + " * D / " + std::to_string(serving) +
           ": more than " + std::to_string(serving) + " requests were served at once";
  }
  return "";
}

inline double microseconds(std::int64_t ns) { return static_cast<double>(ns) / 1e3; }

}  // namespace workloads::common::fanout
