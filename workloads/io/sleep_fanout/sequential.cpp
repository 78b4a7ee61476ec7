// sequential: the baseline, one wait after another on this thread. Each task is a blocking
// std::this_thread::sleep_for(D) (one clock_nanosleep), the next starting when it returns:
// the seed's fetch_data awaited in a for loop, which takes N·D. Nothing waits alongside
// anything else, so there is no "all waiting" moment and no bytes_per_task.

#include <chrono>
#include <cstdint>
#include <thread>

#include "workloads/io/sleep_fanout/params.hpp"

namespace workloads::io::sleep_fanout {

Result sequential(const Params& params) {
  const auto start = std::chrono::steady_clock::now();
  Result result;
  for (std::int64_t id = 0; id < params.tasks; ++id) {
    std::this_thread::sleep_for(params.delay);
    ++result.completed;
    result.completed_id_sum += id;
  }
  result.elapsed = std::chrono::steady_clock::now() - start;
  return result;
}

}  // namespace workloads::io::sleep_fanout
