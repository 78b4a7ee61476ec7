// threads: A is the calling thread, B one std::thread, and a turn variable says whose step it
// is. via:condvar: the textbook hand-off, a std::mutex guarding the turn and one
// std::condition_variable (at most one thread waits on it at a time); notify_one after the
// unlock, so the woken thread does not block on the mutex at once. via:atomic: the turn is a
// std::atomic<int> waited on with wait()/notify_one(), which libstdc++ implements as a short
// spin, then a futex; the release store / acquire load pair orders the steps. With 2 cores both
// threads can be running, so a hand-off is a futex wake and a cross-core wake-up, or, when the
// spin catches it, no system call at all: that is the OS figure this workload compares with.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "workloads/runtime/switch/params.hpp"

namespace workloads::runtime::switch_ {
namespace {

struct CondvarTurn {
  std::mutex mutex;
  std::condition_variable changed;
  int turn = 0;
  Tally tally;

  void play(int task, std::int64_t steps) {
    for (std::int64_t i = 0; i < steps; ++i) {
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return turn == task; });
        tally.step(task);
        turn = 1 - task;
      }
      changed.notify_one();
    }
  }
};

struct AtomicTurn {
  std::atomic<int> turn{0};
  Tally tally;  // written only by the thread holding the turn

  void play(int task, std::int64_t steps) {
    for (std::int64_t i = 0; i < steps; ++i) {
      for (int seen = turn.load(std::memory_order_acquire); seen != task;
           seen = turn.load(std::memory_order_acquire)) {
        turn.wait(seen, std::memory_order_acquire);
      }
      tally.step(task);
      turn.store(1 - task, std::memory_order_release);
      turn.notify_one();
    }
  }
};

template <class Turn>
Result ping_pong(std::int64_t switches) {
  Turn turn;
  const std::int64_t steps = switches / 2;
  std::thread b([&turn, steps] { turn.play(1, steps); });
  turn.play(0, steps);
  b.join();
  return turn.tally.result;
}

}  // namespace

Result threads(const Params& params) {
  if (params.via == Via::atomic) return ping_pong<AtomicTurn>(params.switches);
  return ping_pong<CondvarTurn>(params.switches);
}

}  // namespace workloads::runtime::switch_
