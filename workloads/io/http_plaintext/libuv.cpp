// libuv: one uv_loop on this thread, the harness's socket handed to libuv with uv_tcp_open,
// and callbacks per connection: alloc_cb lends the session's receive buffer (no copy),
// read_cb answers every pipelined request read and sends the replies. As a libuv expert
// writes it, a write first tries uv_try_write (done at once in the common case, no request
// allocated); only when the socket takes less is the rest queued with uv_write, and reading
// pauses (uv_read_stop) until it is sent, so a client that does not read cannot make the
// server buffer without bound. SIGPIPE is ignored, as every libuv server must: libuv writes
// with write(2), which raises it when the peer has reset.

#include "workloads/common/libuv.hpp"

#include <csignal>
#include <memory>
#include <uv.h>

#include "workloads/io/http_plaintext/http_session.hpp"
#include "workloads/io/http_plaintext/servers.hpp"

namespace workloads::io::http_plaintext {
namespace {

// handle.data and write.data point back here; the struct lives from accept to close_cb.
struct Connection {
  uv_tcp_t handle{};
  uv_write_t write{};
  HttpSession session;
};

Connection* connection_of(uv_handle_t* handle) { return static_cast<Connection*>(handle->data); }

void on_closed(uv_handle_t* handle) {
  delete connection_of(handle);  // NOLINT(cppcoreguidelines-owning-memory): see on_connection
}

// Idempotent: a write cancelled by the close reports back (UV_ECANCELED) before on_closed.
void close_connection(Connection* connection) {
  auto* handle = reinterpret_cast<uv_handle_t*>(&connection->handle);
  if (uv_is_closing(handle) == 0) uv_close(handle, on_closed);
}

void on_alloc(uv_handle_t* handle, std::size_t /*suggested*/, uv_buf_t* buffer) {
  const std::span<char> room = connection_of(handle)->session.receive_room();
  *buffer = uv_buf_init(room.data(), static_cast<unsigned>(room.size()));
}

void on_read(uv_stream_t* stream, ssize_t received, const uv_buf_t* /*buffer*/);

// Sends what is unsent; false when the connection was closed (an error or the end).
bool flush(Connection* connection);

void on_written(uv_write_t* write, int status) {
  auto* connection = static_cast<Connection*>(write->data);
  if (status < 0) {
    close_connection(connection);
    return;
  }
  connection->session.sent(connection->session.unsent().size());
  if (connection->session.closing()) {
    close_connection(connection);
    return;
  }
  // Requests that came with the burst just sent are answered before reading more.
  connection->session.answer();
  if (!flush(connection)) return;
  uv_read_start(reinterpret_cast<uv_stream_t*>(&connection->handle), on_alloc, on_read);
}

bool flush(Connection* connection) {
  auto* stream = reinterpret_cast<uv_stream_t*>(&connection->handle);
  const std::span<const char> unsent = connection->session.unsent();
  if (unsent.empty()) {
    if (connection->session.closing()) {
      close_connection(connection);
      return false;
    }
    return true;
  }
  uv_buf_t buffer = uv_buf_init(const_cast<char*>(unsent.data()),  // NOLINT: libuv's API
                                static_cast<unsigned>(unsent.size()));
  const int written = uv_try_write(stream, &buffer, 1);
  if (written == static_cast<int>(unsent.size())) {
    connection->session.sent(unsent.size());
    if (connection->session.closing()) {
      close_connection(connection);
      return false;
    }
    return true;
  }
  if (written < 0 && written != UV_EAGAIN) {
    close_connection(connection);
    return false;
  }
  if (written > 0) connection->session.sent(static_cast<std::size_t>(written));
  // The rest waits for the socket: stop reading until it is out (on_written resumes).
  uv_read_stop(stream);
  const std::span<const char> rest = connection->session.unsent();
  buffer = uv_buf_init(const_cast<char*>(rest.data()),  // NOLINT: libuv's API
                       static_cast<unsigned>(rest.size()));
  connection->write.data = connection;
  if (uv_write(&connection->write, stream, &buffer, 1, on_written) < 0) {
    close_connection(connection);
  }
  return false;
}

void on_read(uv_stream_t* stream, ssize_t received, const uv_buf_t* /*buffer*/) {
  Connection* connection = connection_of(reinterpret_cast<uv_handle_t*>(stream));
  if (received < 0) {  // UV_EOF or a reset
    close_connection(connection);
    return;
  }
  if (received == 0) return;  // EAGAIN: nothing read
  connection->session.received(static_cast<std::size_t>(received));
  connection->session.answer();
  flush(connection);
}

void on_connection(uv_stream_t* server, int status) {
  // Out of descriptors, libuv itself drops the pending connections (it accepts and closes
  // them with a descriptor it keeps in reserve), so the clients see an error and retry.
  if (status < 0) return;
  auto* connection = new Connection;  // NOLINT(cppcoreguidelines-owning-memory): freed on close
  uv_tcp_init(server->loop, &connection->handle);
  connection->handle.data = connection;
  if (uv_accept(server, reinterpret_cast<uv_stream_t*>(&connection->handle)) < 0) {
    close_connection(connection);
    return;
  }
  uv_tcp_nodelay(&connection->handle, 1);
  uv_read_start(reinterpret_cast<uv_stream_t*>(&connection->handle), on_alloc, on_read);
}

}  // namespace

void serve_libuv(harness::ServerContext& context) {
  ::signal(SIGPIPE, SIG_IGN);
  uv_loop_t loop;
  common::check_uv(uv_loop_init(&loop), "corio-bench: io/http_plaintext libuv: uv_loop_init");
  uv_tcp_t listener;
  common::check_uv(uv_tcp_init(&loop, &listener),
                   "corio-bench: io/http_plaintext libuv: uv_tcp_init");
  common::check_uv(uv_tcp_open(&listener, context.listen_fd),
                   "corio-bench: io/http_plaintext libuv: uv_tcp_open");
  common::check_uv(uv_listen(reinterpret_cast<uv_stream_t*>(&listener), 4096, on_connection),
                   "corio-bench: io/http_plaintext libuv: uv_listen");
  context.ready();
  common::check_uv(uv_run(&loop, UV_RUN_DEFAULT), "corio-bench: io/http_plaintext libuv: uv_run");
}

}  // namespace workloads::io::http_plaintext
