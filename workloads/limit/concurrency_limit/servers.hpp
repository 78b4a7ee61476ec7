#pragma once
// limit/concurrency_limit's server: a service of fixed capacity, one implementation whatever
// the client's model, run in its own process (workloads/common/fanout_shared_server.hpp).

#include "harness/net/server_registry.hpp"

namespace workloads::limit::concurrency_limit {

// GET /work on ctx.listen_fd: at most `capacity` requests (C) are in service at once, each
// for `delay_ms` (D), then answered 200 "OK"; the others wait first come, first served. With
// `queue_bound` Q > 0, a request that finds all C slots busy and Q requests already waiting
// is answered 503 at once (Q = 0: the queue is unbounded). Keep-alive connections, any
// number of them. Parameters: capacity (default 8), delay_ms (10), queue_bound (0).
void serve_limited(harness::ServerContext& context);

}  // namespace workloads::limit::concurrency_limit
