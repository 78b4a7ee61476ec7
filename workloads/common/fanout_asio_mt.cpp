// asio_mt: the asio model's L session coroutines (fanout_asio_fetch.cpp) on one io_context run by
// one thread per core, Asio's thread-pool layout. No strand: each session is one coroutine,
// whose handlers never run concurrently; the request counter is atomic and the tally is
// mutex-guarded (never across a co_await).

#include <algorithm>
#include <thread>

#include "workloads/common/fanout_asio_fetch.hpp"
#include "workloads/common/fanout_client.hpp"

namespace workloads::common::fanout {

ClientResult asio_mt(const ClientJob& job) {
  return asio_fetch_all(job, std::max(1U, std::thread::hardware_concurrency()));
}

}  // namespace workloads::common::fanout
