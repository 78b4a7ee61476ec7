// sequential: the baseline. One loop makes each record and consumes it at once: no queue, no
// hand-off, no stall. A work:io item's wait is a blocking sleep, as a program with nothing
// else to do would write it, so N items take N waits.

#include <thread>

#include "workloads/io/pipeline/params.hpp"

namespace workloads::io::pipeline {

Result sequential(const Params& params) {
  require_valid(params, /*needs_queue=*/false);
  Result result;
  for (std::int64_t id = 0; id < params.items; ++id) {
    const Record record = make_record(static_cast<std::uint64_t>(id));
    if (params.work == Work::io) std::this_thread::sleep_for(kIoWait);
    result.total.consume(record);
  }
  return result;
}

}  // namespace workloads::io::pipeline
