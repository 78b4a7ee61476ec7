// corio's limited fan-out: R coroutines gathered at once, each takes a permit of a
// corio::Semaphore(L) (`async with sem`), then a kept-alive corio::net::http::Client from a
// pool of idle ones, or connects a new one when none is idle. Holding a permit is the only way
// to hold a connection, so at most L exist; a request done, its connection goes back to the
// pool before the permit is released, and the semaphore's FIFO order serves the waiting
// coroutines in the order they asked. Everything lives on one loop: plain counters.

#include "workloads/common/fanout_corio_fetch.hpp"

#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <corio/corio.hpp>

namespace workloads::common::fanout {
namespace {

using corio::net::http::Client;

struct FanOut {
  explicit FanOut(ClientJob fan_out_job)
      : job(std::move(fan_out_job)), permits(static_cast<std::size_t>(job.limit)) {}
  ClientJob job;
  corio::Semaphore permits;
  std::vector<Client> idle;  // connected, kept alive, not in use
  ClientResult result;
  Tally tally{result};
};

// Releases the permit when the request is done, however it ends (`async with sem`).
class PermitGuard {
 public:
  explicit PermitGuard(corio::Semaphore& semaphore) noexcept : semaphore_(semaphore) {}
  PermitGuard(const PermitGuard&) = delete;
  PermitGuard& operator=(const PermitGuard&) = delete;
  ~PermitGuard() { semaphore_.release(); }

 private:
  corio::Semaphore& semaphore_;
};

corio::Task<void> fetch(FanOut* fan_out) {
  co_await fan_out->permits.acquire();
  const PermitGuard permit(fan_out->permits);

  std::optional<Client> client;
  if (!fan_out->idle.empty()) {
    client.emplace(std::move(fan_out->idle.back()));
    fan_out->idle.pop_back();
  } else {
    try {
      client.emplace(co_await Client::connect("127.0.0.1", fan_out->job.port));
    } catch (const std::exception& error) {
      fan_out->tally.fail(std::string("connect: ") + error.what());
      co_return;
    }
    fan_out->tally.connected();
  }

  const Clock::time_point sent = Clock::now();
  try {
    const Client::Result response = co_await client->get(fan_out->job.target);
    std::string why;
    const Outcome outcome = classify(fan_out->job, response.status, response.body, &why);
    fan_out->tally.answered(outcome, sent, Clock::now(), why);
    // A failed exchange leaves the connection out of step: it is dropped, not pooled.
    if (outcome != Outcome::failed && client->is_open()) {
      fan_out->idle.push_back(std::move(*client));
    }
  } catch (const std::exception& error) {
    fan_out->tally.fail(std::string("GET: ") + error.what());
  }
}

}  // namespace

corio::Task<ClientResult> corio_fetch_all(ClientJob job) {
  FanOut fan_out(std::move(job));
  fan_out.idle.reserve(static_cast<std::size_t>(fan_out.job.limit));
  std::vector<corio::Task<void>> fetches;
  fetches.reserve(static_cast<std::size_t>(fan_out.job.requests));
  for (std::int64_t i = 0; i < fan_out.job.requests; ++i) fetches.push_back(fetch(&fan_out));
  co_await corio::gather(std::move(fetches));
  co_return std::move(fan_out.result);
}

}  // namespace workloads::common::fanout
