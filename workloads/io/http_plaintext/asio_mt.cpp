// asio_mt: one io_context run by one thread per core, with the same acceptor and
// per-connection coroutines as asio (asio_server.hpp). Any thread may resume any connection's
// coroutine; a coroutine is one chain of operations, so it needs no strand, and connections
// share nothing. The threads share the io_context's queue and its single epoll descriptor:
// that shared queue is what this layout costs against corio_mt's one loop per core.

#include <algorithm>
#include <thread>
#include <vector>

#include "workloads/common/asio.hpp"
#include "workloads/io/http_plaintext/asio_server.hpp"
#include "workloads/io/http_plaintext/servers.hpp"

namespace workloads::io::http_plaintext {

void serve_asio_mt(harness::ServerContext& context) {
  const auto cores = static_cast<std::int64_t>(std::max(1U, std::thread::hardware_concurrency()));
  const auto threads = static_cast<int>(context.int_param("threads", cores, 1, 1024));
  boost::asio::io_context io(threads);
  asio_server::start_accepting(io, context.listen_fd);
  context.ready();
  std::vector<std::thread> runners;
  for (int i = 1; i < threads; ++i) runners.emplace_back([&io] { io.run(); });
  io.run();
  for (std::thread& runner : runners) runner.join();
}

}  // namespace workloads::io::http_plaintext
