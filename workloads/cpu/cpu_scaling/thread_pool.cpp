// thread_pool: a fixed pool of one thread per core and a task queue; each part is submitted
// as a task and its result comes back through a std::future, which the caller blocks on.
// That is the classic C++ pool (a mutex, a condition variable, a deque of type-erased jobs:
// common::FifoThreadPool, shared with io/sleep_fanout; packaged_task for the result), since
// the standard library has none, and not boost::asio::thread_pool, whose post/executor
// interface is asio_mt's model. Jobs are taken first come, first served; a finished worker takes
// the next, so W parts on N workers run as N at a time with no time slicing between them. The pool
// is made per call (starting two threads is ~0.1 ms beside a 100 ms run); a program would keep one
// for its lifetime.

#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "workloads/common/fifo_thread_pool.hpp"
#include "workloads/cpu/cpu_scaling/kernels.hpp"
#include "workloads/cpu/cpu_scaling/params.hpp"

namespace workloads::cpu::cpu_scaling {
namespace {

// Queues f on the pool; the future holds its value (or its exception) once a worker has run
// it. Allocates the job and its shared state.
template <class F>
std::future<std::invoke_result_t<F&>> submit(common::FifoThreadPool& pool, F f) {
  // std::function needs a copyable callable and packaged_task is move-only: share it.
  auto task = std::make_shared<std::packaged_task<std::invoke_result_t<F&>()>>(std::move(f));
  auto future = task->get_future();
  pool.submit([task] { (*task)(); });
  return future;
}

}  // namespace

Result thread_pool(const Params& params) {
  common::FifoThreadPool pool(static_cast<std::size_t>(cores()));
  std::vector<std::future<std::uint64_t>> parts;
  parts.reserve(static_cast<std::size_t>(params.workers));
  for (std::int64_t part = 0; part < params.workers; ++part) {
    parts.push_back(submit(pool, [&params, part] {
      return kernels::run_part(params.kernel, params.work, part, params.workers);
    }));
  }
  Result result;
  for (std::future<std::uint64_t>& part : parts) {
    result.checksum = kernels::combine(result.checksum, part.get());
    ++result.parts_done;
  }
  result.os_workers = static_cast<std::int64_t>(pool.size());
  return result;
}

}  // namespace workloads::cpu::cpu_scaling
