// libuv: one uv_loop on this thread, callbacks per connection: the read callback buffers the
// bytes and answers every complete request (in order); answers go out with uv_try_write, and
// only a remainder the socket did not take is queued with uv_write. The expensive request's
// work is where the variant says:
//   inline   called in the read callback: the loop runs nothing else meanwhile;
//   offload  uv_queue_work: the work runs on libuv's thread pool (UV_THREADPOOL_SIZE, 4 by
//            default) and its after-work callback, on the loop thread, answers it; the loop
//            serves the other connections meanwhile.
// No `pool` variant: libuv's thread pool is the offload.
// A connection waiting for its work, or for a queued write to drain, stops reading
// (uv_read_stop): its later pipelined requests wait in the kernel, are answered in order once
// it resumes, and a peer that sends without reading cannot make the buffers grow. A close
// requested while the work runs waits for the after-work callback, which still points at the
// connection.

#include "workloads/common/libuv.hpp"

#include <algorithm>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <uv.h>

#include "workloads/mixed/blocking_in_loop/requests.hpp"
#include "workloads/mixed/blocking_in_loop/servers.hpp"
#include "workloads/mixed/blocking_in_loop/work.hpp"

namespace workloads::mixed::blocking_in_loop {
namespace {

using common::check_uv;

struct Server {
  uv_tcp_t listener{};
  ServerSettings settings;
};

struct Connection {
  uv_tcp_t handle{};
  uv_work_t work{};
  uv_write_t write{};
  Server* server = nullptr;
  RequestStream in;
  std::string pending;  // answers not yet handed to the socket
  std::string sending;  // the remainder uv_write is sending; untouched until its callback
  ParsedRequest working_on;
  std::uint64_t work_result = 0;  // written by the pool thread, read in after-work
  bool working = false;           // uv_queue_work is in flight
  bool writing = false;           // uv_write is in flight
  bool reading = false;
  bool close_after = false;  // close once the answers are out
  bool closing = false;
};

uv_stream_t* stream_of(Connection* connection) {
  return reinterpret_cast<uv_stream_t*>(&connection->handle);
}

void on_alloc(uv_handle_t* handle, std::size_t /*suggested*/, uv_buf_t* buffer);
void on_read(uv_stream_t* stream, ssize_t count, const uv_buf_t* buffer);
void on_written(uv_write_t* request, int status);
void answer_buffered(Connection* connection);

void on_closed(uv_handle_t* handle) {
  delete static_cast<Connection*>(handle->data);  // NOLINT(cppcoreguidelines-owning-memory)
}

void close_connection(Connection* connection) {
  if (connection->closing) return;
  connection->closing = true;
  // A queued work item still points at the connection: its after-work callback closes it.
  if (connection->working) return;
  uv_close(reinterpret_cast<uv_handle_t*>(&connection->handle), on_closed);
}

// Reads while nothing holds the connection back: no work, no queued write, no close pending.
void update_reading(Connection* connection) {
  const bool want = !connection->working && !connection->writing && !connection->close_after &&
                    !connection->closing;
  if (want == connection->reading) return;
  connection->reading = want;
  if (want) {
    if (uv_read_start(stream_of(connection), on_alloc, on_read) < 0) close_connection(connection);
  } else {
    uv_read_stop(stream_of(connection));
  }
}

// Hands the pending answers to the socket: uv_try_write first (the socket almost always takes
// them all), uv_write for what it did not take.
void flush(Connection* connection) {
  if (connection->writing || connection->closing || connection->pending.empty()) return;
  std::string& pending = connection->pending;
  const uv_buf_t whole = uv_buf_init(pending.data(), static_cast<unsigned>(pending.size()));
  const int written = uv_try_write(stream_of(connection), &whole, 1);
  if (written < 0 && written != UV_EAGAIN) {
    close_connection(connection);
    return;
  }
  const auto taken = static_cast<std::size_t>(std::max(written, 0));
  if (taken == pending.size()) {
    pending.clear();
    return;
  }
  connection->sending.assign(pending, taken);
  pending.clear();
  const uv_buf_t rest =
      uv_buf_init(connection->sending.data(), static_cast<unsigned>(connection->sending.size()));
  if (uv_write(&connection->write, stream_of(connection), &rest, 1, on_written) < 0) {
    close_connection(connection);
    return;
  }
  connection->writing = true;
}

void finish_burst(Connection* connection) {
  flush(connection);
  if (connection->closing) return;
  if (connection->close_after && !connection->writing && connection->pending.empty()) {
    close_connection(connection);
    return;
  }
  update_reading(connection);
}

void on_written(uv_write_t* request, int status) {
  auto* connection = static_cast<Connection*>(request->data);
  connection->writing = false;
  connection->sending.clear();
  if (status < 0 || connection->closing) {
    close_connection(connection);
    return;
  }
  finish_burst(connection);
}

void run_work(uv_work_t* work) {
  auto* connection = static_cast<Connection*>(work->data);
  const ServerSettings& settings = connection->server->settings;
  connection->work_result = expensive_work(settings.work, settings.work_ms);
}

void after_work(uv_work_t* work, int /*status*/) {
  auto* connection = static_cast<Connection*>(work->data);
  connection->working = false;
  if (connection->closing) {
    connection->closing = false;  // close_connection left it to us
    close_connection(connection);
    return;
  }
  append_answer(connection->pending, connection->working_on, connection->work_result);
  if (!connection->working_on.keep_alive) connection->close_after = true;
  answer_buffered(connection);
}

// Answers every complete request buffered, in order, until one has to wait for its work.
void answer_buffered(Connection* connection) {
  const ServerSettings& settings = connection->server->settings;
  while (!connection->close_after) {
    const ParsedRequest request = connection->in.next();
    if (request.kind == ParsedRequest::Kind::need_more) break;
    std::uint64_t result = 0;
    if (request.kind == ParsedRequest::Kind::request && request.route == Route::expensive) {
      flush(connection);  // the answers before it do not wait for its work
      if (connection->closing) return;
      if (settings.variant == Variant::offload) {
        connection->working_on = request;
        connection->working = true;
        connection->work.data = connection;
        if (uv_queue_work(connection->handle.loop, &connection->work, run_work, after_work) < 0) {
          connection->working = false;
          close_connection(connection);
          return;
        }
        update_reading(connection);
        return;
      }
      result = expensive_work(settings.work, settings.work_ms);
    }
    append_answer(connection->pending, request, result);
    if (!request.keep_alive) connection->close_after = true;
  }
  finish_burst(connection);
}

void on_alloc(uv_handle_t* handle, std::size_t /*suggested*/, uv_buf_t* buffer) {
  const std::span<char> room = static_cast<Connection*>(handle->data)->in.room();
  *buffer = uv_buf_init(room.data(), static_cast<unsigned>(room.size()));
}

void on_read(uv_stream_t* stream, ssize_t count, const uv_buf_t* /*buffer*/) {
  auto* connection = static_cast<Connection*>(stream->data);
  if (count < 0) {  // UV_EOF or an error
    close_connection(connection);
    return;
  }
  connection->in.commit(static_cast<std::size_t>(count));
  answer_buffered(connection);
}

void on_connection(uv_stream_t* listener, int status) {
  if (status < 0) return;
  auto* server = static_cast<Server*>(listener->data);
  auto* connection = new Connection;  // NOLINT(cppcoreguidelines-owning-memory): freed in on_closed
  connection->server = server;
  uv_tcp_init(listener->loop, &connection->handle);
  connection->handle.data = connection;
  connection->write.data = connection;
  if (uv_accept(listener, stream_of(connection)) < 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(&connection->handle), on_closed);
    return;
  }
  uv_tcp_nodelay(&connection->handle, 1);
  update_reading(connection);
}

}  // namespace

void serve_libuv(harness::ServerContext& context) {
  // libuv writes with write(2), not send(MSG_NOSIGNAL): a peer gone before its answer would
  // kill the process with SIGPIPE. libuv leaves ignoring it to the program (Node.js does too).
  std::signal(SIGPIPE, SIG_IGN);
  Server server;
  server.settings = ServerSettings::from(context, {Variant::inline_on_loop, Variant::offload});
  uv_loop_t loop;
  check_uv(uv_loop_init(&loop), "uv_loop_init");
  check_uv(uv_tcp_init(&loop, &server.listener), "uv_tcp_init");
  server.listener.data = &server;
  check_uv(uv_tcp_open(&server.listener, context.listen_fd), "uv_tcp_open");
  // listen() again on the listening socket only sets the backlog.
  check_uv(uv_listen(reinterpret_cast<uv_stream_t*>(&server.listener), 4096, on_connection),
           "uv_listen");
  context.ready();
  uv_run(&loop, UV_RUN_DEFAULT);  // serves until SIGTERM ends the process
}

}  // namespace workloads::mixed::blocking_in_loop
