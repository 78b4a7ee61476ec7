// corio: one event loop on this thread (corio::run) running asyncio's limited fan-out:
// R coroutines gathered at once, each inside `async with Semaphore(L)` taking a kept-alive
// corio::net::http::Client from a pool of idle connections (corio_fetch.cpp). The semaphore
// is the idiomatic limit: it bounds what is in flight, not how many coroutines exist, so the
// R waiting coroutines cost a frame each (a few hundred bytes) and nothing else; L worker
// coroutines pulling from a counter would do as well, but read less like the asyncio code a
// corio user starts from.

#include <corio/corio.hpp>

#include "workloads/io/http_fanout/client.hpp"
#include "workloads/io/http_fanout/corio_fetch.hpp"

namespace workloads::io::http_fanout {

ClientResult corio(const ClientJob& job) { return corio::run(corio_fetch_all(job)); }

}  // namespace workloads::io::http_fanout
