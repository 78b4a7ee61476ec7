// libuv: no tasks, so a waiting task is what a libuv program keeps per pending wait: one
// uv_timer_t, all N in one array, each started with uv_timer_start and closed by its
// callback, which does the task's counting; uv_run returns when no handle is left. The
// callback finds the counts through the loop's data pointer and its id from the handle's
// place in the array. libuv counts every timeout from the loop's cached time (whole
// milliseconds, taken when the loop was initialised), so all N share one deadline.

#include "workloads/common/libuv.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <uv.h>

#include "workloads/io/sleep_fanout/params.hpp"

namespace workloads::io::sleep_fanout {
namespace {

struct Tally {
  uv_timer_t* timers = nullptr;  // the array: a timer's id is its index
  std::int64_t completed = 0;
  std::int64_t completed_id_sum = 0;
};

using common::check_uv;

void on_timeout(uv_timer_t* timer) {
  auto* tally = static_cast<Tally*>(timer->loop->data);
  ++tally->completed;
  tally->completed_id_sum += timer - tally->timers;
  uv_close(reinterpret_cast<uv_handle_t*>(timer), nullptr);
}

}  // namespace

Result libuv(const Params& params) {
  const auto start = std::chrono::steady_clock::now();
  const MemoryProbe probe;

  uv_loop_t loop;
  check_uv(uv_loop_init(&loop), "uv_loop_init");
  // uv_timer_init fills in every field: no need to zero the array first.
  const auto count = static_cast<std::size_t>(params.tasks);
  auto timers = std::make_unique_for_overwrite<uv_timer_t[]>(count);
  Tally tally{.timers = timers.get()};
  loop.data = &tally;

  const auto timeout = static_cast<std::uint64_t>(params.delay.count());
  for (std::size_t i = 0; i < count; ++i) {
    uv_timer_init(&loop, &timers[i]);
    check_uv(uv_timer_start(&timers[i], on_timeout, timeout, 0), "uv_timer_start");
  }
  Result result;
  result.memory_bytes = probe.grown_bytes();

  // Returns once every timer has fired and been closed: no active or closing handle is left.
  uv_run(&loop, UV_RUN_DEFAULT);
  check_uv(uv_loop_close(&loop), "uv_loop_close");
  result.elapsed = std::chrono::steady_clock::now() - start;

  result.completed = tally.completed;
  result.completed_id_sum = tally.completed_id_sum;
  return result;
}

}  // namespace workloads::io::sleep_fanout
