// asio: one io_context run by this thread, L session coroutines (co_spawn) each owning a
// kept-alive tcp::socket and taking the next request from a shared counter until none is left
// (fanout_asio_fetch.cpp). Asio has no semaphore: L sessions that pull work are how an Asio client
// keeps at most L requests in flight, the same shape as Beast's crawler example.

#include "workloads/common/fanout_asio_fetch.hpp"
#include "workloads/common/fanout_client.hpp"

namespace workloads::common::fanout {

ClientResult asio(const ClientJob& job) { return asio_fetch_all(job, 1); }

}  // namespace workloads::common::fanout
