// libuv: no tasks, so a sleeping task is what a libuv program keeps per pending timeout: one
// uv_timer_t, all N in one array, each started with uv_timer_start and closed by its callback,
// which does the task's counting. The handles and the counts live in this function; the
// loop's data pointer leads the callback to them. libuv counts every timeout from the loop's
// cached time, taken when the loop was initialised, so all N share one deadline.

#include <uv.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "workloads/runtime/timers/params.hpp"

namespace workloads::runtime::timers {
namespace {

struct Tally {
  uv_timer_t* timers = nullptr;  // the array: a timer's id is its index
  std::int64_t fired = 0;
  std::int64_t fired_id_sum = 0;
};

void check_uv(int status, const char* what) {
  if (status < 0) throw std::runtime_error(std::string(what) + ": " + uv_strerror(status));
}

void on_timeout(uv_timer_t* timer) {
  auto* tally = static_cast<Tally*>(timer->loop->data);
  ++tally->fired;
  tally->fired_id_sum += timer - tally->timers;
  uv_close(reinterpret_cast<uv_handle_t*>(timer), nullptr);
}

}  // namespace

Result libuv(const Params& params) {
  const std::int64_t rss_before = settled_rss_bytes();
  const auto start = std::chrono::steady_clock::now();

  uv_loop_t loop;
  check_uv(uv_loop_init(&loop), "uv_loop_init");
  // uv_timer_init fills in every field: no need to zero the array first.
  const auto count = static_cast<std::size_t>(params.tasks);
  auto timers = std::make_unique_for_overwrite<uv_timer_t[]>(count);
  Tally tally{.timers = timers.get()};
  loop.data = &tally;

  const auto timeout = static_cast<std::uint64_t>(params.sleep.count());
  for (std::size_t i = 0; i < count; ++i) {
    uv_timer_init(&loop, &timers[i]);
    check_uv(uv_timer_start(&timers[i], on_timeout, timeout, 0), "uv_timer_start");
  }

  Result result;
  result.rss_delta_bytes = harness::current_rss_bytes() - rss_before;
  result.asleep_at_sample = params.tasks;  // every timer started above is pending
  result.awake_at_sample = tally.fired;    // the loop has not run yet: 0

  // Returns once every timer has fired and been closed: no active or closing handle is left.
  uv_run(&loop, UV_RUN_DEFAULT);
  result.elapsed = std::chrono::steady_clock::now() - start;
  check_uv(uv_loop_close(&loop), "uv_loop_close");

  result.fired = tally.fired;
  result.fired_id_sum = tally.fired_id_sum;
  return result;
}

}  // namespace workloads::runtime::timers
