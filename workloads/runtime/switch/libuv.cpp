// libuv: a task is a callback on a handle; two uv_idle handles are the two tasks, and a loop
// turn runs every active idle callback in turn. via:yield: both handles stay active, so the
// loop alternates A, B, A, B... and returning from a callback is the yield. via:event: a callback
// stops its own handle and starts the other's, so the other runs only because it was woken:
// one step per loop turn. Each loop turn ends in the poll phase, an epoll_wait with a zero
// timeout (a libuv 1.44 loop always watches its own signal pipe), so via:yield pays half a
// poll per switch and via:event a whole one. uv_idle, not uv_async: uv_async_send is the
// cross-thread wake-up and adds an eventfd write and read to every hand-off.
#include "workloads/common/libuv.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <uv.h>

#include "workloads/runtime/switch/params.hpp"

namespace workloads::runtime::switch_ {
namespace {

struct Players {
  std::array<uv_idle_t, 2> idle{};
  std::array<std::int64_t, 2> steps_left{};
  Tally tally;
};

using common::check_uv;

int task_of(const uv_idle_t* idle) {
  const auto& players = *static_cast<const Players*>(idle->data);
  return idle == &players.idle[0] ? 0 : 1;
}

void yield_step(uv_idle_t* idle) {
  auto& players = *static_cast<Players*>(idle->data);
  const int task = task_of(idle);
  players.tally.step(task);
  if (--players.steps_left[static_cast<std::size_t>(task)] == 0) uv_idle_stop(idle);
}

void event_step(uv_idle_t* idle) {
  auto& players = *static_cast<Players*>(idle->data);
  const int task = task_of(idle);
  players.tally.step(task);
  uv_idle_stop(idle);
  // A's last step wakes B for B's last step; B's last step wakes nobody.
  const auto other = static_cast<std::size_t>(1 - task);
  if (--players.steps_left[static_cast<std::size_t>(task)] > 0 || task == 0) {
    uv_idle_start(&players.idle[other], event_step);
  }
}

}  // namespace

Result libuv(const Params& params) {
  uv_loop_t loop;
  check_uv(uv_loop_init(&loop), "uv_loop_init");
  Players players;
  for (auto& idle : players.idle) {
    check_uv(uv_idle_init(&loop, &idle), "uv_idle_init");
    idle.data = &players;
  }
  players.steps_left = {params.switches / 2, params.switches / 2};
  if (params.switches > 0) {
    if (params.via == Via::yield) {
      for (auto& idle : players.idle) uv_idle_start(&idle, yield_step);
    } else {
      uv_idle_start(&players.idle[0], event_step);
    }
  }
  uv_run(&loop, UV_RUN_DEFAULT);  // returns once both handles are stopped
  common::close_loop(loop);
  return players.tally.result;
}

}  // namespace workloads::runtime::switch_
