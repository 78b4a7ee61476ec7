// corio: one event loop on this thread (corio::run) and a coroutine per connection, as an
// asyncio user writes a server: read, answer every complete request buffered (in order), write
// the answers, read again. The expensive request's work is where the variant says:
//   inline   called right in the connection's coroutine: the loop runs nothing else meanwhile,
//            which is the mistake this workload shows (a blocking call in an async handler);
//   offload  co_await corio::to_thread(work): asyncio.to_thread, the loop's blocking pool
//            (up to min(32, cores + 4) threads, started on demand); the loop serves the other
//            connections until the result comes back;
//   pool     co_await pool.run(work) on a corio::ThreadPool with one worker per core, the
//            corio_mt way to run CPU-bound work in parallel with the loop.
// The answers already buffered go out before the work starts, so a pipelined cheap request
// ahead of an expensive one is not held back by it. A connection ends when the peer closes or
// errs (its exception stays in its coroutine); the process ends on SIGTERM (default action).

#include <algorithm>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include <corio/corio.hpp>

#include "workloads/common/os_threads.hpp"
#include "workloads/mixed/blocking_in_loop/requests.hpp"
#include "workloads/mixed/blocking_in_loop/servers.hpp"
#include "workloads/mixed/blocking_in_loop/work.hpp"

namespace workloads::mixed::blocking_in_loop {
namespace {

corio::Task<std::uint64_t> run_work(ServerSettings settings, corio::ThreadPool* pool) {
  const auto work = [settings] { return expensive_work(settings.work, settings.work_ms); };
  switch (settings.variant) {
    case Variant::inline_on_loop:
      co_return work();
    case Variant::offload:
      co_return co_await corio::to_thread(work);
    case Variant::pool:
      co_return co_await pool->run(work);
  }
  co_return 0;
}

corio::Task<void> serve_connection(corio::net::TcpStream stream, ServerSettings settings,
                                   corio::ThreadPool* pool) {
  try {
    RequestStream in;
    std::string out;
    for (;;) {
      bool close_after = false;
      for (ParsedRequest request = in.next(); request.kind != ParsedRequest::Kind::need_more;
           request = in.next()) {
        std::uint64_t result = 0;
        if (request.kind == ParsedRequest::Kind::request && request.route == Route::expensive) {
          if (!out.empty()) {
            co_await stream.write_all(out);
            out.clear();
          }
          result = co_await run_work(settings, pool);
        }
        append_answer(out, request, result);
        if (!request.keep_alive) {
          close_after = true;
          break;
        }
      }
      if (!out.empty()) {
        co_await stream.write_all(out);
        out.clear();
      }
      if (close_after) break;
      const std::size_t received = co_await stream.read(in.room());
      if (received == 0) break;  // the peer closed
      in.commit(received);
    }
    stream.shutdown();
  } catch (const std::exception&) {
    // A reset or EPIPE ends this connection only: close it now, the others go on.
    stream.close();
  }
}

corio::Task<void> accept_connections(harness::ServerContext* context, ServerSettings settings,
                                     corio::ThreadPool* pool) {
  // Adopted on the loop's thread: the listener registers with this loop's reactor.
  corio::net::TcpListener listener = corio::net::TcpListener::adopt(context->listen_fd);
  context->ready();
  corio::TaskGroup connections;
  for (;;) connections.spawn(serve_connection(co_await listener.accept(), settings, pool));
}

}  // namespace

void serve_corio(harness::ServerContext& context) {
  const ServerSettings settings =
      ServerSettings::from(context, {Variant::inline_on_loop, Variant::offload, Variant::pool});
  // Made before the loop and destroyed after it: the pool must outlive every task using it.
  std::unique_ptr<corio::ThreadPool> pool;
  if (settings.variant == Variant::pool) {
    pool =
        std::make_unique<corio::ThreadPool>(static_cast<std::size_t>(common::hardware_threads()));
  }
  corio::run(accept_connections(&context, settings, pool.get()));
}

}  // namespace workloads::mixed::blocking_in_loop
