// sequential: the whole work in one part on the calling thread, with no concurrency machinery
// at all: the baseline every speed-up is measured against. It calls the same run_part as
// every other model, so a model's speed-up is its parallelism minus its overhead.

#include "workloads/cpu/cpu_scaling/kernels.hpp"
#include "workloads/cpu/cpu_scaling/params.hpp"

namespace workloads::cpu::cpu_scaling {

Result sequential(const Params& params) {
  Result result;
  for (std::int64_t part = 0; part < params.workers; ++part) {
    result.checksum = kernels::combine(
        result.checksum, kernels::run_part(params.kernel, params.work, part, params.workers));
    ++result.parts_done;
  }
  result.os_workers = 1;
  return result;
}

}  // namespace workloads::cpu::cpu_scaling
