// corio: one event loop on this thread (corio::run) running asyncio's limited fan-out:
// R coroutines gathered at once, each inside `async with Semaphore(L)` taking a kept-alive
// corio::net::http::Client from a pool of idle connections (fanout_corio_fetch.cpp). The semaphore
// is the idiomatic limit: it bounds what is in flight, not how many coroutines exist, so the
// R waiting coroutines cost a frame each (a few hundred bytes) and nothing else; L worker
// coroutines pulling from a counter would do as well, but read less like the asyncio code a
// corio user starts from.

#include <corio/corio.hpp>

#include "workloads/common/fanout_client.hpp"
#include "workloads/common/fanout_corio_fetch.hpp"

namespace workloads::common::fanout {

ClientResult corio(const ClientJob& job) { return corio::run(corio_fetch_all(job)); }

}  // namespace workloads::common::fanout
