#pragma once
// The HTTP fan-out client every model implements, shared by io/http_fanout and
// limit/concurrency_limit: R keep-alive GET requests to one local server, one request in
// flight per connection, at most L connections (so at most L requests in flight).
//
//   ClientJob      what to send, how many, with what limit, what a right answer is
//   ClientResult   how the requests ended, their latencies, connections opened, memory
//   Tally          counts one request's outcome into a ClientResult (models share it)
//   Outcome, classify   a parsed response -> ok / rejected / failed, with the reason
//   sequential ... libuv   one client per model (fanout_sequential.cpp ... fanout_libuv.cpp)
//
// The rules every model follows, so that the models differ only in how they wait:
//   - Requests are the same bytes (ClientJob::request) and responses are parsed by the same
//     code (corio::net::http::ResponseParser, which needs no event loop; corio's models reach
//     it through corio::net::http::Client). The comparison is about concurrency, not about
//     HTTP libraries.
//   - A connection carries one request at a time and is kept alive for the next one. A model
//     opens at most `limit` connections; check() verifies it (ClientResult::connections).
//   - Latency runs from just before the request is written on an open connection to the
//     moment its whole response is parsed: what the server (and its queue) made the request
//     wait, not how long it waited for the client's own limit. Connecting is not included.
//   - A failed request (refused, reset, a malformed or unexpected answer) is counted and its
//     connection dropped; the slot's next request opens a new connection. The first failure's
//     text is kept.
//   - Every model records when each answered request was written (first_request keeps the
//     earliest) and when its answer arrived (last_response keeps the latest): the workloads
//     derive throughput from the span between the two, so that neither setting up (creating
//     threads, forking workers, the first connection) nor tearing down (joining threads,
//     reaping workers) is part of the rate.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/net/latency_histogram.hpp"

namespace workloads::common::fanout {

using Clock = std::chrono::steady_clock;

struct ClientJob {
  std::uint16_t port = 0;            // on 127.0.0.1
  std::string target;                // "/delay?ms=10"
  std::string request;               // the whole request head for `target`, written as is
  std::int64_t requests = 0;         // R >= 1
  std::int64_t limit = 0;            // L, 1 <= L <= R: connections (and requests in flight)
  std::string expected_body;         // of a 200 answer
  bool rejections_expected = false;  // a 503 answer is counted as rejected, not as failed
  bool measure_workers = false;      // processes: workers report their private memory
};

struct ClientResult {
  std::int64_t ok = 0;                // 200 with the expected body
  std::int64_t rejected = 0;          // 503, when the job expects rejections
  std::int64_t failed = 0;            // anything else
  std::string first_error;            // the first failure's text, or why the model could not run
  std::int64_t connections = 0;       // connections opened (successfully connected)
  harness::LatencyHistogram latency;  // of the ok requests
  // When the first answered (ok or rejected) request was written; max() until one is.
  Clock::time_point first_request = Clock::time_point::max();
  Clock::time_point last_response{};  // when the last answer (ok or rejected) arrived
  // processes with ClientJob::measure_workers: the workers' private memory (Private_Clean +
  // Private_Dirty of /proc/self/smaps_rollup) summed; 0 for in-process models.
  std::int64_t worker_private_bytes = 0;
};

enum class Outcome : std::uint8_t { ok, rejected, failed };

// What a parsed response means for `job`. `why` gets the reason for `failed`.
inline Outcome classify(const ClientJob& job, int status, std::string_view body, std::string* why) {
  if (status == 200 && body == job.expected_body) return Outcome::ok;
  if (status == 503 && job.rejections_expected) return Outcome::rejected;
  if (why != nullptr) {
    *why = status == 200
               ? "status 200 with body '" + std::string(body.substr(0, 40)) + "', expected '" +
                     job.expected_body + "'"
               : "status " + std::to_string(status) + " (" + std::string(body.substr(0, 40)) + ")";
  }
  return Outcome::failed;
}

// Counts outcomes into a ClientResult. Not thread-safe: a multi-threaded model guards it.
class Tally {
 public:
  explicit Tally(ClientResult& result) noexcept : result_(result) {}

  void answered(Outcome outcome, Clock::time_point sent, Clock::time_point arrived,
                std::string_view why = {}) {
    switch (outcome) {
      case Outcome::ok:
        ++result_.ok;
        result_.latency.record(
            std::chrono::duration_cast<std::chrono::nanoseconds>(arrived - sent).count());
        break;
      case Outcome::rejected:
        ++result_.rejected;
        break;
      case Outcome::failed:
        fail(why);
        return;
    }
    result_.first_request = std::min(result_.first_request, sent);
    result_.last_response = std::max(result_.last_response, arrived);
  }
  void fail(std::string_view why) {
    ++result_.failed;
    if (result_.first_error.empty()) result_.first_error = std::string(why);
  }
  void connected() noexcept { ++result_.connections; }

 private:
  ClientResult& result_;
};

// Adds `part` (a shard's or a worker's result) into `total`.
inline void merge(ClientResult& total, const ClientResult& part) {
  total.ok += part.ok;
  total.rejected += part.rejected;
  total.failed += part.failed;
  if (total.first_error.empty()) total.first_error = part.first_error;
  total.connections += part.connections;
  total.latency.merge(part.latency);
  total.first_request = std::min(total.first_request, part.first_request);
  total.last_response = std::max(total.last_response, part.last_response);
  total.worker_private_bytes += part.worker_private_bytes;
}

ClientResult sequential(const ClientJob& job);
ClientResult corio(const ClientJob& job);
ClientResult corio_mt(const ClientJob& job);
ClientResult threads(const ClientJob& job);
ClientResult thread_pool(const ClientJob& job);
ClientResult processes(const ClientJob& job);
ClientResult asio(const ClientJob& job);
ClientResult asio_mt(const ClientJob& job);
ClientResult libuv(const ClientJob& job);

}  // namespace workloads::common::fanout
