// threads: one std::thread per child, created and joined one after the other. That is the cost
// of a thread as a unit of work: clone(), a fresh stack, and on join a futex wait for the exit.
// join() orders the child's write before the parent's read, so the result needs no atomic.
#include <cstdint>
#include <thread>

#include "workloads/runtime/spawn/params.hpp"

namespace workloads::runtime::spawn {

Result threads(const Params& params) {
  Result result;
  for (std::int64_t i = 0; i < params.tasks; ++i) {
    std::int64_t value = 0;
    std::thread child([&value, i] { value = i; });
    child.join();
    result.sum += value;
    ++result.joined;
  }
  return result;
}

}  // namespace workloads::runtime::spawn
