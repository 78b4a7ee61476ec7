// libuv: no tasks, only callbacks on handles, so "start a unit of work and continue when it has
// finished" is: start a uv_idle handle (the work runs as its callback on the loop's next turn),
// and have that callback stop the handle and call the parent's continuation, which starts the
// next child. A libuv programmer reuses the one handle for work that is strictly one at a time.
// This is how Node's setImmediate runs a callback "soon" (a check handle plus an idle handle).
// One loop turn per spawn+join, and each turn ends in the poll phase: an epoll_wait with a zero
// timeout, a system call, because a libuv 1.44 loop always watches its own signal pipe. That
// is the price of a turn of the libuv loop, and it is part of the figure. uv_idle is what
// libuv's maintainers point to for "run as soon as possible". Not a zero-timeout uv_timer: 1.44
// runs one started from a timer callback in the same pass, never polling, which libuv itself
// calls a starvation bug (libuv/libuv#4245, fixed in 1.48 by #4250). Not uv_async: that is the
// cross-thread wake-up (an eventfd write and read on top of the same poll).
#include "workloads/common/libuv.hpp"

#include <cstdint>
#include <uv.h>

#include "workloads/runtime/spawn/params.hpp"

namespace workloads::runtime::spawn {
namespace {

struct Spawner {
  uv_idle_t idle{};
  std::int64_t tasks = 0;
  std::int64_t next = 0;  // index of the child running or about to run
  Result result;
};

using common::check_uv;

void spawn_next(Spawner& spawner);

// The child: its work is to produce its index; finishing it is the join.
void run_child(uv_idle_t* idle) {
  auto& spawner = *static_cast<Spawner*>(idle->data);
  uv_idle_stop(idle);
  spawner.result.sum += spawner.next;
  ++spawner.result.joined;
  ++spawner.next;
  spawn_next(spawner);  // the parent's continuation after the join
}

void spawn_next(Spawner& spawner) {
  if (spawner.next < spawner.tasks) uv_idle_start(&spawner.idle, run_child);
}

}  // namespace

Result libuv(const Params& params) {
  uv_loop_t loop;
  check_uv(uv_loop_init(&loop), "uv_loop_init");
  Spawner spawner;
  spawner.tasks = params.tasks;
  spawner.idle.data = &spawner;
  check_uv(uv_idle_init(&loop, &spawner.idle), "uv_idle_init");
  spawn_next(spawner);
  uv_run(&loop, UV_RUN_DEFAULT);  // returns once the last child stopped the handle
  common::close_loop(loop);
  return spawner.result;
}

}  // namespace workloads::runtime::spawn
