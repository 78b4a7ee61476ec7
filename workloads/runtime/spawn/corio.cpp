// corio: one loop (corio::run), and the parent awaits corio::spawn(child(i)) for each child:
// asyncio's `await create_task(child(i))`. spawn schedules the child on the ready queue; the
// parent suspends on the JoinHandle, the child runs and completes, and its completion resumes
// the parent. The child's frame and the spawned-task record come from corio's per-size frame
// pool, so the steady state allocates nothing from the system.
#include <cstdint>

#include <corio/corio.hpp>

#include "workloads/runtime/spawn/params.hpp"

namespace workloads::runtime::spawn {
namespace {

corio::Task<std::int64_t> child(std::int64_t index) { co_return index; }

corio::Task<Result> parent(std::int64_t tasks) {
  Result result;
  for (std::int64_t i = 0; i < tasks; ++i) {
    result.sum += co_await corio::spawn(child(i));
    ++result.joined;
  }
  co_return result;
}

}  // namespace

Result corio(const Params& params) { return corio::run(parent(params.tasks)); }

}  // namespace workloads::runtime::spawn
