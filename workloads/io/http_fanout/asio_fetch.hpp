#pragma once
// The Asio client both Asio models run (asio.cpp: one thread, asio_mt.cpp: one io_context run
// by every core): L session coroutines, each owning a kept-alive tcp::socket and taking the
// next request from a shared counter until none is left. See asio_fetch.cpp.

#include "workloads/io/http_fanout/client.hpp"

namespace workloads::io::http_fanout {

// Runs the job on one io_context that `threads` threads run (this one included).
ClientResult asio_fetch_all(const ClientJob& job, unsigned threads);

}  // namespace workloads::io::http_fanout
