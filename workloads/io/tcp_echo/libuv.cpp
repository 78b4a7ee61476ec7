// libuv: one uv_loop on this thread, callbacks only: the listening socket is the harness's
// (uv_tcp_open), each accepted connection a heap-allocated record holding its uv_tcp_t, one
// uv_write_t and its receive buffer, which alloc_cb hands to every read (no allocation per
// read, unlike libuv's test echo server that mallocs a buffer each time). read_cb echoes what
// arrived with uv_try_write, the way Node's streams write: on loopback the socket nearly
// always takes it all at once, and then no write request or callback is needed. When it takes
// less, the rest goes out with uv_write, and reading stops until the write callback, because
// the next read would overwrite the bytes still being sent. TCP_NODELAY via uv_tcp_nodelay.

#include "workloads/common/libuv.hpp"

#include <array>
#include <cstddef>
#include <memory>
#include <uv.h>

#include "harness/fd_limit.hpp"
#include "workloads/io/tcp_echo/blocking_socket.hpp"
#include "workloads/io/tcp_echo/params.hpp"
#include "workloads/io/tcp_echo/servers.hpp"

namespace workloads::io::tcp_echo {
namespace {

struct Connection {
  uv_tcp_t handle{};           // handle.data points back here
  uv_write_t write_request{};  // the one write in flight, if any (reading stops meanwhile)
  std::array<char, kEchoBufferBytes> buffer;  // NOLINT(cppcoreguidelines-pro-type-member-init)
};

Connection* connection_of(const uv_handle_t* handle) {
  return static_cast<Connection*>(handle->data);
}
uv_handle_t* as_handle(uv_tcp_t* tcp) { return reinterpret_cast<uv_handle_t*>(tcp); }
uv_stream_t* as_stream(uv_tcp_t* tcp) { return reinterpret_cast<uv_stream_t*>(tcp); }

void on_closed(uv_handle_t* handle) {
  delete connection_of(handle);  // NOLINT(cppcoreguidelines-owning-memory)
}

void close_connection(uv_stream_t* stream) {
  auto* handle = reinterpret_cast<uv_handle_t*>(stream);
  if (uv_is_closing(handle) == 0) uv_close(handle, on_closed);
}

void on_alloc(uv_handle_t* handle, std::size_t /*suggested*/, uv_buf_t* buffer) {
  Connection* connection = connection_of(handle);
  *buffer = uv_buf_init(connection->buffer.data(), kEchoBufferBytes);
}

void on_read(uv_stream_t* stream, ssize_t received, const uv_buf_t* /*buffer*/);

void on_written(uv_write_t* request, int status) {
  uv_stream_t* stream = request->handle;
  if (status < 0) {
    close_connection(stream);  // a reset, or UV_ECANCELED: the connection is closing already
    return;
  }
  if (uv_read_start(stream, on_alloc, on_read) < 0) close_connection(stream);
}

void on_read(uv_stream_t* stream, ssize_t received, const uv_buf_t* /*buffer*/) {
  if (received == 0) return;  // EAGAIN: nothing this time
  if (received < 0) {         // UV_EOF, or an error such as a reset
    close_connection(stream);
    return;
  }
  Connection* connection = connection_of(reinterpret_cast<uv_handle_t*>(stream));
  const auto size = static_cast<std::size_t>(received);
  uv_buf_t out = uv_buf_init(connection->buffer.data(), static_cast<unsigned>(size));
  const int written = uv_try_write(stream, &out, 1);
  if (written >= 0 && static_cast<std::size_t>(written) == size) return;
  if (written < 0 && written != UV_EAGAIN) {
    close_connection(stream);
    return;
  }
  const std::size_t sent = written > 0 ? static_cast<std::size_t>(written) : 0;
  out = uv_buf_init(connection->buffer.data() + sent, static_cast<unsigned>(size - sent));
  uv_read_stop(stream);
  if (uv_write(&connection->write_request, stream, &out, 1, on_written) < 0) {
    close_connection(stream);
  }
}

void on_connection(uv_stream_t* server, int status) {
  // Out of descriptors (UV_EMFILE) libuv has already accepted and dropped the connection
  // with its reserve descriptor; there is nothing to accept now.
  if (status < 0) return;
  // Default-initialised: the buffer is not zeroed, so its pages cost RSS only once used.
  auto connection = std::make_unique_for_overwrite<Connection>();
  if (uv_tcp_init(server->loop, &connection->handle) < 0) return;
  Connection* owned = connection.release();  // from here on_closed frees it
  owned->handle.data = owned;
  uv_stream_t* stream = as_stream(&owned->handle);
  if (uv_accept(server, stream) < 0) {
    uv_close(as_handle(&owned->handle), on_closed);
    return;
  }
  uv_tcp_nodelay(&owned->handle, 1);
  if (uv_read_start(stream, on_alloc, on_read) < 0) close_connection(stream);
}

}  // namespace

void serve_libuv(harness::ServerContext& context) {
  harness::raise_descriptor_limit();
  uv_loop_t loop;
  common::check_uv(uv_loop_init(&loop), "tcp_echo libuv: uv_loop_init");
  uv_tcp_t server;
  common::check_uv(uv_tcp_init(&loop, &server), "tcp_echo libuv: uv_tcp_init");
  common::check_uv(uv_tcp_open(&server, context.listen_fd), "tcp_echo libuv: uv_tcp_open");
  common::check_uv(uv_listen(as_stream(&server), 4096, on_connection), "tcp_echo libuv: uv_listen");
  context.ready();
  uv_run(&loop, UV_RUN_DEFAULT);  // never returns: the listener stays active
}

}  // namespace workloads::io::tcp_echo
