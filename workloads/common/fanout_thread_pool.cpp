// thread_pool: a fixed pool of L worker threads with blocking sockets, each worker keeping
// its own kept-alive connection (Python's ThreadPoolExecutor(L).map(fetch, urls) with a
// session per worker thread). The pool's work queue holds R identical jobs, so it is a shared
// atomic index: a worker takes the next index until none is left, which is what a queue of
// R jobs amounts to, without a lock per take. The pool size is the limit: L threads, L
// connections, at most L requests in flight. Counts go to one mutex-guarded tally (a lock per
// request, never contended for long); if the OS refuses a worker, the workers made so far do
// all the requests and the result says how many workers the OS refused.

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "workloads/common/fanout_blocking_connection.hpp"
#include "workloads/common/fanout_client.hpp"

namespace workloads::common::fanout {
namespace {

struct Shared {
  const ClientJob* job = nullptr;
  std::atomic<std::int64_t> next{0};  // the queue: the index of the next request to send
  std::mutex mutex;                   // guards result and tally
  ClientResult result;
  Tally tally{result};
};

void worker(Shared& shared) {
  const ClientJob& job = *shared.job;
  BlockingConnection connection;
  BlockingFailure failure;
  while (shared.next.fetch_add(1, std::memory_order_relaxed) < job.requests) {
    if (!connection.is_open()) {
      const bool connected = connection.connect(job.port, failure);
      const std::lock_guard lock(shared.mutex);
      if (!connected) {
        shared.tally.fail(describe(failure));
        continue;
      }
      shared.tally.connected();
    }
    const Clock::time_point sent = Clock::now();
    const bool answered = connection.exchange(job.request, failure);
    const Clock::time_point arrived = Clock::now();
    std::string why;
    const Outcome outcome =
        answered ? classify(job, connection.response().status(), connection.response().body(), &why)
                 : Outcome::failed;
    if (answered && outcome == Outcome::failed) connection.close();
    const std::lock_guard lock(shared.mutex);
    if (answered) {
      shared.tally.answered(outcome, sent, arrived, why);
    } else {
      shared.tally.fail(describe(failure));
    }
  }
}

}  // namespace

ClientResult thread_pool(const ClientJob& job) {
  Shared shared;
  shared.job = &job;
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(job.limit));
  std::string refused;
  try {
    for (std::int64_t i = 0; i < job.limit; ++i) pool.emplace_back(worker, std::ref(shared));
  } catch (const std::system_error& error) {
    refused = "the OS refused pool thread " + std::to_string(pool.size() + 1) + " of " +
              std::to_string(job.limit) + " (" + error.what() +
              "): this machine's limits (ulimit -u, vm.max_map_count) allow fewer";
  }
  for (std::thread& thread : pool) thread.join();

  ClientResult result = std::move(shared.result);
  if (!refused.empty()) {
    // The requests were all done, by fewer workers than asked: the point is wrong.
    ++result.failed;
    result.first_error = refused;
  }
  return result;
}

}  // namespace workloads::common::fanout
