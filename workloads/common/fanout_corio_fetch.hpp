#pragma once
// The corio client both corio models run on each of their loops (fanout_corio.cpp: one loop,
// fanout_corio_mt.cpp: one per run_sharded shard): asyncio's idiom for a limited fan-out,
//
//   sem = asyncio.Semaphore(L)
//   async def fetch(session):
//       async with sem:                        # at most L inside
//           async with session.get(url) as r:  # a kept-alive connection from the pool
//               ...
//   await asyncio.gather(*(fetch(session) for _ in range(R)))
//
// with corio::Semaphore, corio::gather and corio::net::http::Client. See fanout_corio_fetch.cpp.

#include <corio/task.hpp>

#include "workloads/common/fanout_client.hpp"

namespace workloads::common::fanout {

// Runs job.requests requests with at most job.limit in flight on the current loop.
// Takes the job by value: the returned task keeps it.
corio::Task<ClientResult> corio_fetch_all(ClientJob job);

}  // namespace workloads::common::fanout
