#pragma once
// The suite's one load generator: every network workload (tcp_echo, http_plaintext,
// blocking_in_loop) is loaded by this code, whatever model serves it, from a process other
// than the server's (the benchmark process itself; `corio-bench load` for another host).
//
//   harness::LoadOptions   protocol, connections, duration, closed or open loop
//   harness::LoadReport    completed requests, errors, latency histograms, elapsed time
//   harness::run_load      connects, warms up, measures, disconnects; returns the report
//
// Closed loop (rate_per_second == 0): each of `connections` connections sends its next
// request when the previous answer has arrived. Open loop (rate_per_second > 0): requests are
// due at fixed intervals whatever the server does; a request's latency runs from the time it
// was due, not from when a free connection could send it, so queueing in the generator or the
// server is counted (no coordinated omission).
//
// Protocols:
//   echo       writes `message_bytes` bytes, reads the same bytes back and compares them
//              byte for byte. The bytes differ from one request to the next (a window of a
//              pseudo-random pattern that starts elsewhere for each request: up to 4,096
//              requests in flight are all different), so an answer with another request's
//              bytes (a stale, replayed or cross-connection echo), a reordered or shifted one,
//              is wrong, not just a corrupted one.
//   http_get   "GET <target> HTTP/1.1" keep-alive requests; a response must be status 200
//              (any other status counts as an error) with a Content-Length body equal to the
//              target's expected body: `expected_body`, by default
//              default_expected_body(target), i.e. "Hello, World!" for /plaintext and any
//              body (not compared) for other targets.
// With `second_target` set (http_get only), every `second_every`-th request goes there
// instead, its answers checked against `second_expected_body` (default likewise); its
// latencies go to LoadReport::second_latency (blocking_in_loop: the expensive requests), the
// others' to LoadReport::latency.
//
// Errors are counted by kind (LoadReport::errors_by_kind, LoadError): connect (refused, no
// answer to a connect), connection (reset, closed before answering, send/recv failed),
// timeout (a request outliving request_timeout), malformed (not an HTTP response, bytes after
// it), status (not 200) and wrong_answer (a complete answer with other bytes than expected:
// a wrong echo, a wrong body). After an error the connection is re-opened and the load goes
// on; the first error's text is kept (a wrong answer's starts with "wrong answer: "). run_load
// throws harness::BadInput before any work when an option is impossible (0 connections, a
// zero duration, second_every < 2, an expected body for echo ...), and std::runtime_error
// when no connection at all can be made (the text names the address and errno).
//
// Phases: every connection is opened (those that fail retry during the run), then warm-up
// (`warmup`: answers not recorded, errors not counted), then the recorded window
// (`duration`, or until `max_requests` answers). A request counts where its answer (or error)
// arrives; requests still in flight when the window closes are not counted, as in wrk. The
// calling thread does all of it (one epoll set, no other thread); sockets are closed with a
// reset (no TIME_WAIT left), and the soft descriptor limit is raised to the hard one
// (harness::raise_descriptor_limit, harness/fd_limit.hpp): BadInput when even that is too low
// for `connections`.
//
// By hand, and across two hosts (the generator and the server on different machines, so that
// they share no CPU), the same code runs as `corio-bench load` against `corio-bench serve`:
//
//   server$ corio-bench serve http_plaintext --model corio --listen 0.0.0.0:8080
//   corio-bench: serving io/http_plaintext (corio) on 0.0.0.0:8080
//   client$ corio-bench load http_plaintext --connect SERVER:8080 --connections 64 --duration 10
//   client$ corio-bench load tcp_echo --connect SERVER:8081 --size 1024 --rate 20000
//
// `serve --help` lists every registered server (workload, model, --param names); `load
// --help` its options. `load` prints a summary and one JSON line (bench/load.hpp); wrk
// works against the same servers (wrk -t1 -c64 -d10s http://SERVER:8080/plaintext).
// bench/tests/netns_split_test.sh runs this split in two network namespaces of one host.
//
// Cost, at the time of writing (2-core VM shared with other jobs; corio's http_plaintext
// server pinned to core 0, the generator to core 1, 64 connections, 5 s): the generator spends
// 8-10 us of CPU per request (one send, one recv, a share of epoll_pwait2) where wrk -t1 spends
// 10-14 us, so it drives a single-threaded server at least as hard as wrk does; best runs
// 73,000 requests/s against wrk's 62,000. Measured with /usr/bin/time around
//   taskset -c 1 corio-bench load http_plaintext --connect 127.0.0.1:PORT --duration 5
//   taskset -c 1 wrk -t1 -c64 -d5s http://127.0.0.1:PORT/plaintext
// Checking every answer's bytes (a different echo message per request, the HTTP body against
// the expected one) costs one memcmp per answer: against the same corio servers, runs of the
// generator before and after it was added, alternated in one session (64 connections, 2 s
// each, a host loaded by other jobs), gave the same medians within noise: http_plaintext
// 55,480 vs 55,923 requests/s and 6.64 vs 6.62 us of generator CPU per request (12 pairs);
// tcp_echo 64 B 54,461 vs 50,985 and 5.96 vs 6.09 us (12 pairs), 38,764 vs 39,512 and
// 6.32 vs 6.61 us (20 pairs).

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "harness/net/http_response_reader.hpp"
#include "harness/net/latency_histogram.hpp"

namespace harness {

enum class LoadProtocol : std::uint8_t { echo, http_get };

// io/http_plaintext's answer to GET /plaintext (TechEmpower's plaintext test).
inline constexpr std::string_view kPlaintextBody = "Hello, World!";

// The body a 200 answer to `target` must carry when LoadOptions does not say:
// exactly kPlaintextBody for "/plaintext", any body (nothing compared) for other targets.
ExpectedBody default_expected_body(std::string_view target);

// Why a request failed (LoadReport::errors_by_kind).
enum class LoadError : std::uint8_t {
  connect,       // the connection could not be made (refused, no answer to the connect)
  connection,    // reset, closed before the answer was complete, send/recv failed
  timeout,       // no (complete) answer within request_timeout
  malformed,     // not an HTTP response, bytes after it, an answer before the request
  status,        // an HTTP status other than 200
  wrong_answer,  // a complete answer with other bytes: a wrong echo, a wrong body
};
inline constexpr std::size_t kLoadErrorKinds = 6;
// "connect", "connection", "timeout", "malformed", "status", "wrong answer".
std::string_view load_error_name(LoadError kind);

struct LoadOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  LoadProtocol protocol = LoadProtocol::echo;
  std::size_t message_bytes = 64;     // echo
  std::string target = "/plaintext";  // http_get
  std::string second_target;          // http_get; empty: none
  int second_every = 0;               // with second_target: every N-th request goes there
  // http_get: the body of a 200 answer to `target` / `second_target`; unset: the target's
  // default_expected_body. An answer with another body counts as a wrong_answer error.
  std::optional<ExpectedBody> expected_body;
  std::optional<ExpectedBody> second_expected_body;
  int connections = 64;
  double rate_per_second = 0;  // 0: closed loop; > 0: open loop at this total rate
  std::chrono::nanoseconds warmup = std::chrono::milliseconds(200);  // not recorded
  std::chrono::nanoseconds duration = std::chrono::seconds(1);       // recorded
  // Stop after this many recorded requests (0: no limit; the duration still applies).
  std::int64_t max_requests = 0;
  std::chrono::nanoseconds request_timeout = std::chrono::seconds(10);
};

struct LoadReport {
  std::int64_t completed = 0;  // recorded requests answered correctly
  std::int64_t errors = 0;     // the sum of errors_by_kind
  // How many of each kind, indexed by LoadError (errors_of, errors_summary).
  std::array<std::int64_t, kLoadErrorKinds> errors_by_kind{};
  std::string first_error;              // empty when errors == 0
  std::chrono::nanoseconds elapsed{0};  // the recorded phase's wall time
  LatencyHistogram latency;             // target's requests
  LatencyHistogram second_latency;      // second_target's requests
  [[nodiscard]] double requests_per_second() const {
    const double seconds = std::chrono::duration<double>(elapsed).count();
    return seconds > 0 ? static_cast<double>(completed) / seconds : 0.0;
  }
  [[nodiscard]] std::int64_t errors_of(LoadError kind) const {
    return errors_by_kind[static_cast<std::size_t>(kind)];
  }
  // The errors by kind, e.g. "12 wrong answer, 1 timeout"; "" when there were none.
  [[nodiscard]] std::string errors_summary() const;
};

LoadReport run_load(const LoadOptions& options);

}  // namespace harness
