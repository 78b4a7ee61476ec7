// corio_mt: the loop stays on this thread and the CPU work goes to a corio::ThreadPool of one
// worker per core: each part is `co_await pool.run(work)`, and the W parts are gathered, so
// they queue on the pool at once and the workers take them first come, first served, while
// the loop only waits for their completions. That is how asyncio code hands CPU work to a
// ProcessPoolExecutor/ThreadPoolExecutor, with real parallelism since C++ has no GIL. More
// workers than cores would only add switches: the pool is sized to the machine, not to W.
// The pool is made per call (starting two threads is ~0.1 ms beside a 100 ms run) so that a
// call leaves no threads behind; a program would keep one for its lifetime.

#include <cstdint>
#include <utility>
#include <vector>

#include <corio/corio.hpp>

#include "workloads/cpu/cpu_scaling/kernels.hpp"
#include "workloads/cpu/cpu_scaling/params.hpp"

namespace workloads::cpu::cpu_scaling {
namespace {

corio::Task<Result> all_parts(corio::ThreadPool* pool, Params params) {
  std::vector<corio::Task<std::uint64_t>> parts;
  parts.reserve(static_cast<std::size_t>(params.workers));
  for (std::int64_t part = 0; part < params.workers; ++part) {
    // run() keeps its function (and these copies) in its own frame until the part is done.
    parts.push_back(
        pool->run([kernel = params.kernel, work = params.work, part, parts_count = params.workers] {
          return kernels::run_part(kernel, work, part, parts_count);
        }));
  }
  Result result;
  for (std::uint64_t checksum : co_await corio::gather(std::move(parts))) {
    result.checksum = kernels::combine(result.checksum, checksum);
    ++result.parts_done;
  }
  result.os_workers = static_cast<std::int64_t>(pool->size());
  co_return result;
}

}  // namespace

Result corio_mt(const Params& params) {
  // Declared before the loop runs and destroyed after it ended (ThreadPool's lifetime rule).
  corio::ThreadPool pool(static_cast<std::size_t>(cores()));
  return corio::run(all_parts(&pool, params));
}

}  // namespace workloads::cpu::cpu_scaling
