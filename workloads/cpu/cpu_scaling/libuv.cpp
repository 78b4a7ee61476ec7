// libuv: CPU work goes to libuv's thread pool: a uv_work_t per part, queued with
// uv_queue_work; the pool runs the work callbacks (the part) and the loop thread runs each
// after-work callback, which combines the part's checksum, so the loop's state needs no lock.
// uv_run returns once every request has completed. That is libuv's one documented way to run
// CPU work off the loop.
//
// The pool is libuv's, process-wide: UV_THREADPOOL_SIZE threads (default 4, at most 1024),
// read once, when the first request of the process is queued. This model leaves the variable
// as it finds it and reports the size in effect as the counter uv_threadpool_size; with the
// default 4 threads on a 2-core machine, two threads time-slice each core.

#include "workloads/common/libuv.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <uv.h>
#include <vector>

#include "workloads/cpu/cpu_scaling/kernels.hpp"
#include "workloads/cpu/cpu_scaling/params.hpp"

namespace workloads::cpu::cpu_scaling {
namespace {

struct PartRequest {
  uv_work_t request;
  const Params* params = nullptr;
  std::int64_t part = 0;
  std::uint64_t checksum = 0;  // written on a pool thread, read in the after-work callback
};

// What the loop thread gathers from the after-work callbacks.
struct Tally {
  Result* result = nullptr;
};

using common::check_uv;

void run_part_on_pool(uv_work_t* request) {
  auto* part = static_cast<PartRequest*>(request->data);
  part->checksum = kernels::run_part(part->params->kernel, part->params->work, part->part,
                                     part->params->workers);
}

void combine_on_loop(uv_work_t* request, int status) {
  auto* part = static_cast<PartRequest*>(request->data);
  Result& result = *static_cast<Tally*>(request->loop->data)->result;
  if (status < 0) {  // UV_ECANCELED: the work callback never ran
    if (result.error.empty()) {
      result.error = "part " + std::to_string(part->part) + ": " + uv_strerror(status);
    }
    return;
  }
  result.checksum = kernels::combine(result.checksum, part->checksum);
  ++result.parts_done;
}

// The size libuv gives its pool (src/threadpool.c, init_threads in libuv 1.44): the
// variable's number, 0 meaning 1 and anything above 1024 meaning 1024; 4 when unset.
std::int64_t uv_threadpool_size() {
  constexpr std::int64_t default_size = 4;
  constexpr std::int64_t max_size = 1024;
  const char* value = std::getenv("UV_THREADPOOL_SIZE");
  if (value == nullptr) return default_size;
  std::int64_t size = std::atoi(value);
  if (size == 0) size = 1;
  return size > max_size ? max_size : size;
}

}  // namespace

Result libuv(const Params& params) {
  Result result;
  uv_loop_t loop;
  check_uv(uv_loop_init(&loop), "uv_loop_init");
  Tally tally{&result};
  loop.data = &tally;

  std::vector<PartRequest> parts(static_cast<std::size_t>(params.workers));
  for (std::size_t i = 0; i < parts.size(); ++i) {
    PartRequest& part = parts[i];
    part.request.data = &part;
    part.params = &params;
    part.part = static_cast<std::int64_t>(i);
    check_uv(uv_queue_work(&loop, &part.request, run_part_on_pool, combine_on_loop),
             "uv_queue_work");
  }
  uv_run(&loop, UV_RUN_DEFAULT);  // returns when every request's after-work callback has run
  check_uv(uv_loop_close(&loop), "uv_loop_close");

  result.uv_threadpool_size = uv_threadpool_size();
  result.os_workers = result.uv_threadpool_size;
  return result;
}

}  // namespace workloads::cpu::cpu_scaling
