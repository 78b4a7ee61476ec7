#pragma once
// mixed/blocking_in_loop's servers, one per model: each is a harness::ServerFn (see
// harness/net/server_registry.hpp) serving HTTP/1.1 keep-alive (pipelining answered in order)
// on ctx.listen_fd until the process is terminated:
//   GET /cheap      200 "ok", at once
//   GET /expensive  200 "ok <result>" after the work (work.hpp), done where `variant` says:
//                   inline on the loop, offloaded to the model's thread pool for blocking
//                   work, or (corio only) on a corio::ThreadPool
// Parameters: variant=inline|offload|pool, work=cpu|blocking, work_ms=5.

#include "harness/net/server_registry.hpp"

namespace workloads::mixed::blocking_in_loop {

void serve_corio(harness::ServerContext& context);
void serve_asio(harness::ServerContext& context);
void serve_libuv(harness::ServerContext& context);

}  // namespace workloads::mixed::blocking_in_loop
