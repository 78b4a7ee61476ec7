// corio: the asyncio tutorial's Queue example, one to one. One loop on this thread
// (corio::run); a corio::Queue<Record>(Q) between the main task, which produces, and K
// consumer tasks spawned first. A consumer loops get -> work -> task_done; the producer puts
// N records, then `co_await queue.join()` returns once every record was marked done, and the
// consumers, parked in get(), are cancelled and awaited (asyncio's cancel + gather).
//
// A put that finds the queue full suspends the producer until a get frees a slot: that is a
// stall, counted by checking queue.full() before the put. A get that finds records takes one
// without suspending, so on one thread a consumer drains the queue before the producer runs
// again: about one stall per Q + K + 1 records, and tasks switch only when the queue is full
// or runs dry, not per item. work:io waits with corio::sleep (a timer on the loop), so K
// consumers overlap their waits. One thread: each consumer's Tally is a plain struct.

#include <cstdint>
#include <vector>

#include <corio/corio.hpp>

#include "workloads/io/pipeline/params.hpp"

namespace workloads::io::pipeline {
namespace {

corio::Task<> consume(corio::Queue<Record>* queue, Work work, Tally* tally) {
  for (;;) {
    const Record record = co_await queue->get();
    if (work == Work::io) co_await corio::sleep(kIoWait);
    tally->consume(record);
    queue->task_done();
  }
}

corio::Task<> run_pipeline(Params params, std::vector<Tally>* tallies, std::int64_t* stalls) {
  corio::Queue<Record> queue(static_cast<std::size_t>(params.capacity));
  std::vector<corio::JoinHandle<void>> consumers;
  consumers.reserve(tallies->size());
  for (Tally& tally : *tallies)
    consumers.push_back(corio::spawn(consume(&queue, params.work, &tally)));

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

Result corio(const Params& params) {
  require_valid(params);
  std::vector<Tally> tallies(static_cast<std::size_t>(params.consumers));
  Result result;
  corio::run(run_pipeline(params, &tallies, &result.queue_full_stalls));
  for (const Tally& tally : tallies) result.total += tally;
  return result;
}

}  // namespace workloads::io::pipeline
