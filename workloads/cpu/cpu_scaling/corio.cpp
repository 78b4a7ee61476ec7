// corio: one thread, one loop (corio::run); each part is a coroutine, and the W of them are
// started and awaited together with corio::gather, asyncio's `await gather(*parts)`. A part
// never awaits anything, so gather runs each to its end before starting the next: W tasks
// are concurrent in name only, and on one thread CPU work cannot overlap. That is the point
// of this model: concurrency without parallelism gives a speed-up of 1.0 (minus the cost of
// W coroutine frames), and CPU work belongs on corio::ThreadPool (corio_mt) or to_thread.

#include <cstdint>
#include <utility>
#include <vector>

#include <corio/corio.hpp>

#include "workloads/cpu/cpu_scaling/kernels.hpp"
#include "workloads/cpu/cpu_scaling/params.hpp"

namespace workloads::cpu::cpu_scaling {
namespace {

// Parameters by value: a coroutine must not keep references to its caller's objects.
corio::Task<std::uint64_t> part_task(Kernel kernel, Work work, std::int64_t part,
                                     std::int64_t parts) {
  co_return kernels::run_part(kernel, work, part, parts);
}

corio::Task<Result> all_parts(Params params) {
  std::vector<corio::Task<std::uint64_t>> parts;
  parts.reserve(static_cast<std::size_t>(params.workers));
  for (std::int64_t part = 0; part < params.workers; ++part) {
    parts.push_back(part_task(params.kernel, params.work, part, params.workers));
  }
  Result result;
  for (std::uint64_t checksum : co_await corio::gather(std::move(parts))) {
    result.checksum = kernels::combine(result.checksum, checksum);
    ++result.parts_done;
  }
  result.os_workers = 1;
  co_return result;
}

}  // namespace

Result corio(const Params& params) { return corio::run(all_parts(params)); }

}  // namespace workloads::cpu::cpu_scaling
