#pragma once
// runtime/sync: what a semaphore acquire/release pair and a queue put/get pair cost, alone
// and between two tasks that really wait for each other.
//
//   Prim, Params, Result  one parameter point and what a model returns
//   Workload              the harness contract (harness/workload.hpp) for corio and asio
//   ThreadsWorkload       the same workload between two OS threads, fewer ops when they wait
//
// tasks:2 is a producer and a consumer moving the values 0, 1, 2 ... through a buffer of
// `capacity` slots; each side waits only when the buffer is full (producer) or empty
// (consumer), so cap:1 makes every item a hand-off (a wait and a wake-up per item) and cap:64
// lets each side run 64 items between waits: the two ends of "a waiter really waits
// sometimes".
//   prim:queue      the buffer is the primitive's own queue of maxsize `capacity`: one put/get
//                   pair per item.
//   prim:semaphore  the textbook bounded buffer: a ring of `capacity` slots guarded by two
//                   semaphores, free slots (starting at capacity) and filled slots (starting at
//                   0). Each item costs two acquire/release pairs (free by the producer and
//                   back by the consumer, filled the other way), so ops/2 items move.
// tasks:1 is the uncontended fast path: one task alone does acquire+release on a semaphore of
// `capacity` permits, or put+get on a queue of maxsize `capacity`, `ops` times.
//
// items = ops (acquire/release or put/get pairs), so 1e9 / items_per_second is ns per pair.
// The consumer sums the values it received, so a model that lost or duplicated an item fails.
// A call builds its own loop (corio::run, an io_context) or thread: 200,000 pairs per call
// amortise that below a nanosecond per pair. libuv has neither primitive between callbacks on
// one loop, so it has no model here.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/workload.hpp"
#include "workloads/common/checks.hpp"

namespace workloads::runtime::sync {

enum class Prim { semaphore, queue };

inline std::string_view to_string(Prim prim) {
  return prim == Prim::semaphore ? "semaphore" : "queue";
}

struct Params {
  Prim prim;
  std::int64_t tasks;     // 1: uncontended; 2: producer and consumer
  std::int64_t capacity;  // semaphore permits / queue maxsize / ring slots; >= 1
  std::int64_t ops;       // acquire/release or put/get pairs; even for prim:semaphore/tasks:2
};

struct Result {
  std::int64_t pairs = 0;  // acquire/release or put/get pairs completed
  std::int64_t sum = 0;    // sum of the values received: 0 + 1 + ... + (items_moved - 1)
};

// How many values a run moves: ops, except the two-semaphore buffer moves one per two pairs.
inline std::int64_t items_moved(const Params& params) {
  return params.prim == Prim::semaphore && params.tasks == 2 ? params.ops / 2 : params.ops;
}

Result corio(const Params& params);
Result asio(const Params& params);
Result threads(const Params& params);

struct Workload {
  using Params = sync::Params;
  using Result = sync::Result;

  static constexpr std::string_view name = "runtime/sync";

  static std::vector<Params> points(harness::Profile profile) {
    const std::int64_t ops = profile == harness::Profile::quick ? 200'000 : 1'000'000;
    return make_points(ops, ops);
  }

  static std::string label(const Params& params) {
    return "prim:" + std::string(to_string(params.prim)) +
           "/tasks:" + std::to_string(params.tasks) + "/cap:" + std::to_string(params.capacity) +
           "/ops:" + std::to_string(params.ops);
  }

  static std::string check(const Params& params, const Result& result) {
    return common::first_error(
        common::check_count(result.pairs, params.ops, "pairs completed"),
        common::check_sum(result.sum, common::sum_below(items_moved(params))));
  }

  static double items(const Params& params) { return static_cast<double>(params.ops); }

  static void counters(const Params& /*params*/, const Result& /*result*/,
                       harness::Counters& /*counters*/) {}

 protected:
  // Every primitive at: a hand-off per item (cap:1), a wait per 64 items (cap:64), alone.
  static std::vector<Params> make_points(std::int64_t contended_ops, std::int64_t alone_ops) {
    std::vector<Params> points;
    for (const Prim prim : {Prim::semaphore, Prim::queue}) {
      points.push_back({prim, 2, 1, contended_ops});
      points.push_back({prim, 2, 64, contended_ops});
      points.push_back({prim, 1, 1, alone_ops});
    }
    return points;
  }
};

// Between two OS threads a wait is a futex sleep and a wake-up (2-10 us), so the two-thread
// points do 20x fewer ops per call; alone, half as many (a std::counting_semaphore release
// from 0 is a futex system call even with no waiter: see threads.cpp).
struct ThreadsWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    const std::int64_t ops = profile == harness::Profile::quick ? 200'000 : 1'000'000;
    return make_points(ops / 20, ops / 2);
  }
};

}  // namespace workloads::runtime::sync
