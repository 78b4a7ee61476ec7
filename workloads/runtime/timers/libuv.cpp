// libuv: no tasks, so a sleeping task is what a libuv program keeps per pending timeout: one
// uv_timer_t, all N in one array, each started with uv_timer_start and closed by its callback,
// which does the task's counting. The handles and the counts live in this function; the
// loop's data pointer leads the callback to them.
//
// Lateness: libuv counts a timeout from the loop's cached time (uv_now), in whole
// milliseconds, not from the moment uv_timer_start is called. Here every timer is started
// before uv_run, so the cached time is the one uv_loop_init took, and all N share one deadline
// while each task's own deadline (the clock read right before its uv_timer_start, + D) is
// later by however long the tasks before it took to start: the timers started last fire
// early by up to the time it took to start all N, plus up to 1 ms of truncation. That is what
// libuv does, so the early timers are reported (negative lateness, timers_fired_early), not
// failed. A libuv program that wants D from now calls uv_update_time() first; this one does
// what most do.

#include "workloads/common/libuv.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <uv.h>

#include "workloads/runtime/timers/params.hpp"

namespace workloads::runtime::timers {
namespace {

struct Tally {
  uv_timer_t* timers = nullptr;  // the array: a timer's id is its index
  LatenessSlots* lateness = nullptr;
  std::int64_t fired = 0;
  std::int64_t fired_id_sum = 0;
  std::int64_t last_wake_ns = 0;
};

using common::check_uv;

void on_timeout(uv_timer_t* timer) {
  auto* tally = static_cast<Tally*>(timer->loop->data);
  const std::int64_t id = timer - tally->timers;
  tally->last_wake_ns = tally->lateness->wake(id);  // one thread: wakes come in clock order
  ++tally->fired;
  tally->fired_id_sum += id;
  uv_close(reinterpret_cast<uv_handle_t*>(timer), nullptr);
}

}  // namespace

Result libuv(const Params& params) {
  LatenessSlots lateness(params.tasks);  // before the RSS baseline: not the tasks' memory
  const std::int64_t rss_before = settled_rss_bytes();
  const std::int64_t start_ns = clock_ns();

  uv_loop_t loop;
  check_uv(uv_loop_init(&loop), "uv_loop_init");
  // uv_timer_init fills in every field: no need to zero the array first.
  const auto count = static_cast<std::size_t>(params.tasks);
  auto timers = std::make_unique_for_overwrite<uv_timer_t[]>(count);
  Tally tally{.timers = timers.get(), .lateness = &lateness};
  loop.data = &tally;

  const auto timeout = static_cast<std::uint64_t>(params.sleep.count());
  for (std::size_t i = 0; i < count; ++i) {
    uv_timer_init(&loop, &timers[i]);
    lateness.arm(static_cast<std::int64_t>(i), params.sleep);
    check_uv(uv_timer_start(&timers[i], on_timeout, timeout, 0), "uv_timer_start");
  }

  Result result;
  result.may_fire_early = true;  // see the file comment
  result.rss_delta_bytes = settled_rss_bytes() - rss_before;
  result.asleep_at_sample = params.tasks;  // every timer started above is pending
  result.awake_at_sample = tally.fired;    // the loop has not run yet: 0

  // Returns once every timer has fired and been closed: no active or closing handle is left.
  uv_run(&loop, UV_RUN_DEFAULT);
  check_uv(uv_loop_close(&loop), "uv_loop_close");

  result.elapsed = std::chrono::nanoseconds(tally.last_wake_ns - start_ns);
  result.fired = tally.fired;
  result.fired_id_sum = tally.fired_id_sum;
  result.lateness_ns = lateness.take();
  return result;
}

}  // namespace workloads::runtime::timers
