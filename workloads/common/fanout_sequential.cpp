// sequential: one thread, one blocking keep-alive connection, one request after the other
// (a `requests.Session` in a for loop). Its limit is 1 by nature: it is registered at L = 1
// only, where it is the baseline the concurrent models are measured against. A failed
// request drops the connection; the next request connects again.

#include "workloads/common/fanout_blocking_connection.hpp"
#include "workloads/common/fanout_client.hpp"

namespace workloads::common::fanout {

ClientResult sequential(const ClientJob& job) {
  ClientResult result;
  Tally tally(result);
  BlockingConnection connection;
  BlockingFailure failure;
  for (std::int64_t i = 0; i < job.requests; ++i) {
    if (!connection.is_open()) {
      if (!connection.connect(job.port, failure)) {
        tally.fail(describe(failure));
        continue;
      }
      tally.connected();
    }
    const Clock::time_point sent = Clock::now();
    if (!connection.exchange(job.request, failure)) {
      tally.fail(describe(failure));
      continue;
    }
    std::string why;
    const ResponseReader& response = connection.response();
    const Outcome outcome = classify(job, response.status(), response.body(), &why);
    tally.answered(outcome, sent, Clock::now(), why);
    if (outcome == Outcome::failed) connection.close();
  }
  return result;
}

}  // namespace workloads::common::fanout
