// libuv: no tasks, so an idle task is what a libuv program keeps per pending wait: one
// uv_timer_t, all N in one array, armed with a timeout an hour away (a pending handle in the
// loop's timer heap, nothing in the kernel). The release re-arms each with timeout 0, so the
// next loop iteration runs every callback; each callback counts itself and closes its
// handle. libuv has no event that N callbacks can wait on, and a uv_idle_t would not be
// idle: it runs on every iteration and keeps the loop from blocking.

#include "workloads/common/libuv.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <uv.h>

#include "workloads/runtime/task_memory/params.hpp"

namespace workloads::runtime::task_memory {
namespace {

// Far enough that no timer fires before the release.
constexpr std::uint64_t kNeverMs = 3'600'000;

using common::check_uv;

void on_timeout(uv_timer_t* timer) {
  ++*static_cast<std::int64_t*>(timer->loop->data);  // finished
  uv_close(reinterpret_cast<uv_handle_t*>(timer), nullptr);
}

}  // namespace

Result libuv(const Params& params) {
  const std::int64_t rss_before = settled_rss_bytes();

  uv_loop_t loop;
  check_uv(uv_loop_init(&loop), "uv_loop_init");
  std::int64_t finished = 0;
  loop.data = &finished;
  Result result;
  const auto creating = std::chrono::steady_clock::now();
  // uv_timer_init fills in every field: no need to zero the array first.
  const auto count = static_cast<std::size_t>(params.tasks);
  auto timers = std::make_unique_for_overwrite<uv_timer_t[]>(count);
  for (std::size_t i = 0; i < count; ++i) {
    uv_timer_init(&loop, &timers[i]);
    check_uv(uv_timer_start(&timers[i], on_timeout, kNeverMs, 0), "uv_timer_start");
  }
  result.creation = std::chrono::steady_clock::now() - creating;

  result.rss_delta_bytes = settled_rss_bytes() - rss_before;
  result.waiting_at_sample = params.tasks;  // every timer started above is pending
  result.finished_at_sample = finished;     // the loop has not run yet: 0

  for (std::size_t i = 0; i < count; ++i) {
    check_uv(uv_timer_start(&timers[i], on_timeout, 0, 0), "uv_timer_start");
  }
  // Returns once every timer has fired and been closed: no active or closing handle is left.
  uv_run(&loop, UV_RUN_DEFAULT);
  check_uv(uv_loop_close(&loop), "uv_loop_close");

  result.finished = finished;
  return result;
}

}  // namespace workloads::runtime::task_memory
