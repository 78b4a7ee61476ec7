// asio: one io_context run by this thread, an acceptor coroutine, and one C++20 coroutine per
// connection (asio_server.hpp): Asio's own recipe for a single-threaded server. The
// io_context gets concurrency hint 1, as Asio's docs advise when one thread runs it: its
// scheduler then never tries to wake another thread to share the work.

#include "workloads/common/asio.hpp"

#include "workloads/io/http_plaintext/asio_server.hpp"
#include "workloads/io/http_plaintext/servers.hpp"

namespace workloads::io::http_plaintext {

void serve_asio(harness::ServerContext& context) {
  boost::asio::io_context io(1);
  asio_server::start_accepting(io, context.listen_fd);
  context.ready();
  io.run();
}

}  // namespace workloads::io::http_plaintext
