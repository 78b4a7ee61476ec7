// corio_mt: corio's answer to "consumers in parallel": the queue stays on the loop, the work
// goes to a corio::ThreadPool. A corio::Queue is loop-thread only and corio has no cross-thread
// queue, so the hand-off across threads is the pool hop itself: each of the K consumer tasks
// does `get` on the loop, then `co_await pool.run(hash)` (the record's hash runs on a worker
// and the consumer resumes on the loop with it), then task_done. That is asyncio's
// `await loop.run_in_executor(pool, work, item)` inside a queue worker, and it keeps the
// tutorial's shape: producer, bounded queue, K workers, join. K consumers are K items in
// flight on the pool.
//
// The pool has min(K, hardware threads) workers: more threads than cores only add switches
// to CPU-bound work. run_sharded (a loop per core) is the other corio tool, but its shards
// share no queue, so the producer could not reach them with corio's API.
//
// Per item that is two cross-thread hand-offs (loop -> worker -> loop, each a mutex) for
// 300-400 ns of hashing. A worker out of work and a loop with work away spin briefly before
// they sleep (ThreadPool's Cost note), so back-to-back hops find the other side awake and make
// no system call; still, the hop costs more than the work, which is the point this model
// makes. With K = 1 every item is a lone round trip (about 2.5 us).
// Only work:cpu is registered: a work:io item's 1 ms wait is a timer on the loop, needs no
// thread, and would make this model corio's.
//
// Stalls are counted as in corio: queue.full() before the producer's put. The consumers'
// tallies are touched on the loop thread only; a record is read by the worker while its
// consumer is suspended, and the pool's hand-off orders the two.

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

#include <corio/corio.hpp>

#include "workloads/common/os_threads.hpp"
#include "workloads/io/pipeline/params.hpp"

namespace workloads::io::pipeline {
namespace {

corio::Task<> consume(corio::Queue<Record>* queue, corio::ThreadPool* pool, Tally* tally) {
  for (;;) {
    const Record record = co_await queue->get();
    const std::uint64_t hash = co_await pool->run([&record] { return hash_record(record); });
    tally->add(record.id, hash);
    queue->task_done();
  }
}

corio::Task<> run_pipeline(Params params, corio::ThreadPool* pool, std::vector<Tally>* tallies,
                           std::int64_t* stalls) {
  corio::Queue<Record> queue(static_cast<std::size_t>(params.capacity));
  std::vector<corio::JoinHandle<void>> consumers;
  consumers.reserve(tallies->size());
  for (Tally& tally : *tallies) consumers.push_back(corio::spawn(consume(&queue, pool, &tally)));

  for (std::int64_t id = 0; id < params.items; ++id) {
    if (queue.full()) ++*stalls;
    co_await queue.put(make_record(static_cast<std::uint64_t>(id)));
  }
  co_await queue.join();

  for (corio::JoinHandle<void>& consumer : consumers) consumer.cancel();
  for (corio::JoinHandle<void>& consumer : consumers) {
    try {
      co_await consumer;
      // NOLINTNEXTLINE(bugprone-empty-catch): the expected end of a consumer parked in get()
    } catch (const corio::CancelledError&) {
    }
  }
}

}  // namespace

Result corio_mt(const Params& params) {
  require_valid(params);
  const auto cores = common::hardware_threads();
  Result result;
  result.workers = std::min(params.consumers, cores);
  std::vector<Tally> tallies(static_cast<std::size_t>(params.consumers));
  {
    // Destroyed after the loop: every consumer is back on it by then (ThreadPool's contract).
    corio::ThreadPool pool(static_cast<std::size_t>(result.workers));
    corio::run(run_pipeline(params, &pool, &tallies, &result.queue_full_stalls));
  }
  for (const Tally& tally : tallies) result.total += tally;
  return result;
}

}  // namespace workloads::io::pipeline
