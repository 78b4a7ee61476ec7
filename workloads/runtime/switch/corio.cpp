// corio: one loop (corio::run), the two tasks spawned and then joined. via:yield: each step
// ends in co_await corio::yield_now(), which puts the task behind every task already ready,
// here the other one (asyncio's sleep(0)). via:event: two corio::Events; a task sets the
// other's event and waits on its own, then clears it (an Event stays set until cleared), so
// each step is an explicit wake-up of a task that really was waiting.
#include <cstdint>

#include <corio/corio.hpp>

#include "workloads/runtime/switch/params.hpp"

namespace workloads::runtime::switch_ {
namespace {

corio::Task<> yielder(int task, std::int64_t steps, Tally* tally) {
  for (std::int64_t i = 0; i < steps; ++i) {
    tally->step(task);
    co_await corio::yield_now();
  }
}

// A: step, wake B, wait for B. B: wait for A, step, wake A.
corio::Task<> pinger(std::int64_t steps, corio::Event* wake_b, corio::Event* wake_a, Tally* tally) {
  for (std::int64_t i = 0; i < steps; ++i) {
    tally->step(0);
    wake_b->set();
    co_await wake_a->wait();
    wake_a->clear();
  }
}

corio::Task<> ponger(std::int64_t steps, corio::Event* wake_b, corio::Event* wake_a, Tally* tally) {
  for (std::int64_t i = 0; i < steps; ++i) {
    co_await wake_b->wait();
    wake_b->clear();
    tally->step(1);
    wake_a->set();
  }
}

corio::Task<Result> play(Params params) {
  Tally tally;
  corio::Event wake_a;
  corio::Event wake_b;
  const std::int64_t steps = params.switches / 2;
  if (params.via == Via::yield) {
    auto a = corio::spawn(yielder(0, steps, &tally));
    auto b = corio::spawn(yielder(1, steps, &tally));
    co_await a;
    co_await b;
  } else {
    auto a = corio::spawn(pinger(steps, &wake_b, &wake_a, &tally));
    auto b = corio::spawn(ponger(steps, &wake_b, &wake_a, &tally));
    co_await a;
    co_await b;
  }
  co_return tally.result;
}

}  // namespace

Result corio(const Params& params) { return corio::run(play(params)); }

}  // namespace workloads::runtime::switch_
