// libuv: a child is a callback on its own uv_idle handle (how libuv runs work "as soon as
// possible": see runtime/spawn). A round starts all K handles; the loop's next turn runs every
// child's callback, each storing its result, stopping its handle and counting down; the child
// that brings the count to zero is the join and starts the next round. The handles are
// allocated once per call and reused by every round, as a libuv programmer would. One loop
// turn per round, so the poll phase's epoll_wait (see runtime/spawn) is shared by K children.
// Not uv_queue_work: that runs children on libuv's thread pool, which is parallelism with a
// cross-thread hand-off per child, not K units of work completing on the loop.
#include "workloads/common/libuv.hpp"

#include <cstddef>
#include <cstdint>
#include <uv.h>
#include <vector>

#include "workloads/runtime/gather/params.hpp"

namespace workloads::runtime::gather {
namespace {

struct Group;

struct Child {
  uv_idle_t idle{};  // idle.data points at this Child
  Group* group = nullptr;
  std::int64_t index = 0;
  std::int64_t value = 0;
};

struct Group {
  std::vector<Child> children;
  std::int64_t running = 0;
  std::int64_t rounds_left = 0;
  Result result;
};

using common::check_uv;

void start_round(Group& group);

void run_child(uv_idle_t* idle) {
  auto& child = *static_cast<Child*>(idle->data);
  Group& group = *child.group;
  uv_idle_stop(idle);
  child.value = child.index;
  if (--group.running > 0) return;
  // The last child of the round joins: collect the results in order, start the next round.
  for (const Child& done : group.children) group.result.sum += done.value;
  group.result.completed += static_cast<std::int64_t>(group.children.size());
  if (--group.rounds_left > 0) start_round(group);
}

void start_round(Group& group) {
  group.running = static_cast<std::int64_t>(group.children.size());
  for (Child& child : group.children) uv_idle_start(&child.idle, run_child);
}

}  // namespace

Result libuv(const Params& params) {
  uv_loop_t loop;
  check_uv(uv_loop_init(&loop), "uv_loop_init");
  Group group;
  group.children.resize(static_cast<std::size_t>(params.children));
  for (std::int64_t i = 0; i < params.children; ++i) {
    Child& child = group.children[static_cast<std::size_t>(i)];
    check_uv(uv_idle_init(&loop, &child.idle), "uv_idle_init");
    child.idle.data = &child;
    child.group = &group;
    child.index = i;
  }
  group.rounds_left = params.rounds;
  if (params.rounds > 0 && params.children > 0) start_round(group);
  uv_run(&loop, UV_RUN_DEFAULT);  // returns once the last round's handles are stopped
  common::close_loop(loop);
  return group.result;
}

}  // namespace workloads::runtime::gather
