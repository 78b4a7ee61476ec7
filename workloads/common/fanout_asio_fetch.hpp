#pragma once
// The Asio client both Asio models run (fanout_asio.cpp: one thread, fanout_asio_mt.cpp: one
// io_context run by every core): L session coroutines, each owning a kept-alive tcp::socket and
// taking the next request from a shared counter until none is left. See fanout_asio_fetch.cpp.

#include "workloads/common/fanout_client.hpp"

namespace workloads::common::fanout {

// Runs the job on one io_context that `threads` threads run (this one included).
ClientResult asio_fetch_all(const ClientJob& job, unsigned threads);

}  // namespace workloads::common::fanout
