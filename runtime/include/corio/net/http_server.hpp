#pragma once
// A small HTTP/1.1 server on TcpListener/TcpStream and RequestParser. It serves no route of
// its own: every request goes to the caller's handler (the benchmarks' routes are
// workloads/common/http_routes.hpp).
//
//   corio::net::http::Reply              what a handler answers: status, type, body, delay
//   corio::net::http::Handler            Reply (*)(const Request&): a plain function, no state
//   corio::net::http::ServerOptions      parser limits, initial buffer sizes
//   corio::net::http::serve_connection   serves one connection until it closes
//   corio::net::http::serve              accepts on a listener, one task per connection
//
// Per connection: keep-alive and pipelining. Every complete request already buffered is
// answered in order, and the answers of one burst go out in one write; only then is the socket
// read again. "Connection: close" (or an HTTP/1.0 request without keep-alive) is answered and
// the connection closed. Malformed or oversized input is answered with the parser's status
// (400, 413, 414, 431, 501, 505) and "Connection: close", then the connection closes, and
// nothing after the malformed request is answered; an error on one connection (a peer reset,
// a malformed request) ends that connection only. Request bodies come with Content-Length or
// chunked (RequestParser validates and frames both). "Expect: 100-continue" with a body to
// come: the handler is asked about the head alone; a final status of 400 or more is sent at
// once, with "Connection: close" and without reading the body (RFC 9110 section 10.1.1),
// otherwise "HTTP/1.1 100 Continue" is sent before the body is read.
//
// Starts:   lazily, like every Task; serve() accepts until cancelled.
// Resumes:  on the loop thread.
// Cancellation: cancelling serve()'s task stops accepting (its accept is cancelled) and cancels
//           every connection task at its current wait: a connection reading waits no more, one
//           writing may have sent part of a response (no graceful drain of in-flight
//           responses), one waiting out a Reply::delay stops waiting. serve() then ends with
//           CancelledError once every connection task has finished; the listener closes when
//           its frame ends.
// Errors:   serve_connection swallows std::exception (peer reset, EPIPE): the connection just
//           ends. serve() rethrows a listener failure other than descriptor exhaustion.
// Thread safety: loop thread only; run one serve() per loop with SO_REUSEPORT to shard.
// Cost:     an idle keep-alive connection (waiting for its next request with nothing
//           buffered) holds its socket registration and its task frame, under 1 KiB together:
//           it waits for readability with no buffer (TcpStream::wait_readable). When bytes
//           arrive it takes a workspace from its serve()'s free list: the parser (about 4 KiB,
//           room for kMaxHeaders fields), a receive buffer (ServerOptions::receive_bytes, grown
//           up to the parser's head + body limits only when one request needs it) and a send
//           buffer (grown only for a larger reply); it gives the workspace back once its replies
//           are written and nothing is left buffered (a pipelined leftover or a partial request
//           keeps it). Measured with 10,000 idle connections on one loop:
//           runtime/tests/http_server_memory_test.cpp.
//           Per request in steady state: no heap allocation (the free list has a spare); one
//           read() and one send() per burst of pipelined requests, epoll_wait shared by all
//           connections ready together.
// Example:  runtime/tests/http_server_test.cpp; `corio-bench serve` (bench/serve.cpp)

#include <chrono>
#include <cstddef>
#include <string_view>

#include <corio/net/http_parser.hpp>
#include <corio/net/tcp.hpp>
#include <corio/task.hpp>

namespace corio::net::http {

struct Reply {
  int status = 200;
  std::string_view content_type = "text/plain";
  // Copied into the send buffer before the handler's next call: it need only stay valid until
  // the handler returns plus `delay` (a static string or a view into the request).
  std::string_view body;
  // Waited (corio::sleep) before the reply is sent; replies buffered before it are sent first.
  std::chrono::milliseconds delay{0};
  // Sent as an "Allow: <allow>" line when not empty: the methods of the target's resource,
  // which a 405 must carry (RFC 9110 section 15.5.6). A static string of at most 64 bytes.
  std::string_view allow;
};

// A plain function: a handler keeps no per-connection state, and calling it allocates nothing.
// It is called once per request, and once more on the head alone (Request::body and
// chunked_body empty) when the request carries "Expect: 100-continue": only that call's
// status is used then, to decide between 100 Continue and a final status at once.
using Handler = Reply (*)(const Request& request);

struct ServerOptions {
  Limits limits;
  // Initial receive buffer; grown (doubling) up to limits.max_head_bytes +
  // limits.max_body_bytes only when a single request does not fit.
  std::size_t receive_bytes = std::size_t{16} * 1024;
  // Initial send buffer; a burst that fills it is written out, and it grows only for one reply
  // larger than itself.
  std::size_t send_bytes = std::size_t{16} * 1024;
  // Workspaces (parser and both buffers, about 37 KiB at the default sizes) that serve() keeps
  // for reuse once their connections go idle; more are freed. One loop serves one connection
  // at a time, so a handful is in use at once unless replies wait (a slow reader, a
  // Reply::delay): 64 keeps requests allocation-free at up to 64 such waits, for 2.3 MiB.
  std::size_t spare_workspaces = 64;
};

// Serves one connection until the peer closes it, asks to, sends something malformed, or the
// task is cancelled. Takes the stream by value: a spawned task owns it.
Task<void> serve_connection(TcpStream stream, Handler handler, ServerOptions options = {});

// Accepts on `listener` and serves each connection in its own task (a TaskGroup) until
// cancelled; see the top of this file for what cancelling does. Takes the listener by value:
// read local_port() before handing it over.
Task<void> serve(TcpListener listener, Handler handler, ServerOptions options = {});

}  // namespace corio::net::http
