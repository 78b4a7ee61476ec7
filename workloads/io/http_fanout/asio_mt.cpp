// asio_mt: the asio model's L session coroutines (asio_fetch.cpp) on one io_context run by
// one thread per core, Asio's thread-pool layout. No strand: each session is one coroutine,
// whose handlers never run concurrently; the request counter is atomic and the tally is
// mutex-guarded (never across a co_await).

#include <algorithm>
#include <thread>

#include "workloads/io/http_fanout/asio_fetch.hpp"
#include "workloads/io/http_fanout/client.hpp"

namespace workloads::io::http_fanout {

ClientResult asio_mt(const ClientJob& job) {
  return asio_fetch_all(job, std::max(1U, std::thread::hardware_concurrency()));
}

}  // namespace workloads::io::http_fanout
