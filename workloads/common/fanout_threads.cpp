// threads: a thread per request, gated by a std::counting_semaphore(L): the launcher takes a
// permit before it starts each thread, and the thread gives it back when its request is done,
// so at most L request threads live at once (the thread-per-task idiom with a limit, Python's
// `sem.acquire(); Thread(target=fetch).start()`). Connections are kept alive in a pool shared
// by the threads (requests.Session's pool): a thread takes an idle one or connects a new one,
// and puts it back before giving up its permit, so at most L connections exist. The thread
// per request, not per connection, is the point of this model next to thread_pool: every
// request pays a thread's creation.
//
// Finished threads are joined as the launcher goes (oldest first, once they say they are
// done), so that a finished thread's stack is not kept until the end. If the OS refuses a
// thread, the launcher stops: the requests not started are counted as failed, with the
// reason.

#include <atomic>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <mutex>
#include <semaphore>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "workloads/common/fanout_blocking_connection.hpp"
#include "workloads/common/fanout_client.hpp"

namespace workloads::common::fanout {
namespace {

using Permits = std::counting_semaphore<std::numeric_limits<std::int32_t>::max()>;

struct Shared {
  const ClientJob* job = nullptr;
  std::mutex mutex;  // guards idle, result and tally
  std::vector<std::unique_ptr<BlockingConnection>> idle;
  ClientResult result;
  Tally tally{result};
};

struct RequestThread {
  std::thread thread;
  std::atomic<bool> done{false};
};

void fetch(Shared& shared) {
  std::unique_ptr<BlockingConnection> connection;
  {
    const std::lock_guard lock(shared.mutex);
    if (!shared.idle.empty()) {
      connection = std::move(shared.idle.back());
      shared.idle.pop_back();
    }
  }
  BlockingFailure failure;
  if (!connection) {
    connection = std::make_unique<BlockingConnection>();
    const bool connected = connection->connect(shared.job->port, failure);
    const std::lock_guard lock(shared.mutex);
    if (!connected) {
      shared.tally.fail(describe(failure));
      return;
    }
    shared.tally.connected();
  }
  const Clock::time_point sent = Clock::now();
  const bool answered = connection->exchange(shared.job->request, failure);
  const Clock::time_point arrived = Clock::now();
  std::string why;
  const Outcome outcome = answered ? classify(*shared.job, connection->response().status(),
                                              connection->response().body(), &why)
                                   : Outcome::failed;
  const std::lock_guard lock(shared.mutex);
  if (!answered) {
    shared.tally.fail(describe(failure));
    return;
  }
  shared.tally.answered(outcome, sent, arrived, why);
  if (outcome != Outcome::failed && connection->is_open()) {
    shared.idle.push_back(std::move(connection));
  }
}

}  // namespace

ClientResult threads(const ClientJob& job) {
  Shared shared;
  shared.job = &job;
  shared.idle.reserve(static_cast<std::size_t>(job.limit));
  Permits permits(static_cast<std::ptrdiff_t>(job.limit));
  std::deque<RequestThread> running;  // a deque: elements never move, threads point at them

  std::int64_t started = 0;
  std::string refused;
  for (; started < job.requests; ++started) {
    permits.acquire();
    while (!running.empty() && running.front().done.load(std::memory_order_acquire)) {
      running.front().thread.join();
      running.pop_front();
    }
    RequestThread& slot = running.emplace_back();
    try {
      slot.thread = std::thread([&shared, &permits, &slot] {
        fetch(shared);
        permits.release();
        slot.done.store(true, std::memory_order_release);
      });
    } catch (const std::system_error& error) {
      running.pop_back();
      refused = "the OS refused request thread " + std::to_string(started + 1) + " (" +
                error.what() + "): this machine's limits (ulimit -u, vm.max_map_count) allow fewer";
      break;
    }
  }
  for (RequestThread& slot : running) slot.thread.join();

  ClientResult result = std::move(shared.result);
  if (!refused.empty()) {
    result.failed += job.requests - started;
    result.first_error = refused;
  }
  return result;
}

}  // namespace workloads::common::fanout
