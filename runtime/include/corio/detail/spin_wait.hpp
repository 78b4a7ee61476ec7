#pragma once
// A bounded busy wait, for a thread that expects another thread to hand it something within
// microseconds.
//
//   corio::detail::spin_until(ready, budget_ns)  polls ready() until it is true (returns true)
//                                                or budget_ns have passed (returns false)
//
// Why: waking a sleeping thread costs a futex or eventfd system call on the waking side and a
// scheduler round trip on the woken one, 5-15 us on a shared VM, where a hand-off between two
// threads that are both awake takes well under 1 us. A thread that has just finished its
// work and expects more soon (a ThreadPool worker, a loop with work away on a worker) spins
// for a few tens of microseconds before it sleeps; the callers bound who may spin so that a
// spinning thread does not take a core from one with work. The CPU's pause hint keeps the
// spin cheap for a sibling hyper-thread.

#include <cstdint>

#include <corio/event_loop.hpp>

namespace corio::detail {

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

template <class Ready>
bool spin_until(Ready ready, std::int64_t budget_ns) noexcept(noexcept(ready())) {
  if (budget_ns <= 0) return ready();
  const std::int64_t until = EventLoop::now_ns() + budget_ns;
  for (;;) {
    // The clock is read once per 32 polls: a poll is a load, a clock reading ~20 ns.
    for (int i = 0; i < 32; ++i) {
      if (ready()) return true;
      cpu_relax();
    }
    if (EventLoop::now_ns() >= until) return ready();
  }
}

}  // namespace corio::detail
