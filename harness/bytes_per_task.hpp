#pragma once
// bytes_per_task: what one live task costs in memory, measured the same way by every workload
// that reports it (runtime/task_memory, runtime/timers, io/sleep_fanout).
//
//   harness::MemoryGrowth       which growth a workload measures (rss_after_trim, rss_or_heap)
//   harness::FramePool          whether a model's probe counts what it took from corio's pool
//   harness::settled_rss_bytes  RSS after malloc_trim(0): rss_after_trim's baseline
//   harness::TaskMemoryProbe    takes the baseline when made; grown_bytes() is the growth since
//   harness::TaskMemoryProbeOf  the same with the growth fixed: a workload's MemoryProbe
//   harness::bytes_per_task     growth / N: the value of the "bytes_per_task" counter
//
// The method. A model makes a TaskMemoryProbe right before it creates its first task (after
// anything that is not the tasks', like a results array), calls grown_bytes() once all N
// tasks are alive and waiting (before the first one ends), and the workload's counters()
// reports bytes_per_task(grown_bytes, N) = grown_bytes / N. The growth covers whatever the
// model and its runtime took to hold N tasks (frames or closures, handles, thread stacks'
// touched pages, the loop's own set-up, which is noise at N >= 1,000). A corio model adds
// what its tasks took from corio's frame pool (FramePool::counted): frames freed by an
// earlier call stay in that pool, and a fresh process would have had to get them from the
// OS, so they count (never negative: frames the run gave back to the pool before the sample
// are not subtracted; no model frees one before it). The pool is read on the calling thread
// (its own lists plus those of exited threads), so a counted probe is made and read on the
// thread that runs the loop. What the kernel keeps out of RSS (a thread's kernel stack and
// task struct, a process's page tables) is in neither figure.
//
// Two growths, on purpose, because the workloads run their models differently:
//   rss_after_trim  RSS growth between two readings each taken after malloc_trim(0) hands
//                   free heap memory back to the kernel: at the baseline, so that what an
//                   earlier call freed cannot be reused without growing RSS; at the sample, so
//                   that memory the model freed on the way (the old buffer of every array that
//                   doubled) is not counted as the tasks': with glibc's thresholds pinned
//                   (harness/malloc_policy.hpp) such buffers stay in the heap instead of being
//                   unmapped, and made corio's 1,000,000 timers read 234 bytes a task against
//                   217. For workloads that call each model once per run (iterations() == 1:
//                   runtime/task_memory, runtime/timers), where the trims are outside anything
//                   timed that matters and RSS is exact for every kind of memory.
//   rss_or_heap     max(RSS growth, growth of malloc's bytes in use), no trim. For workloads
//                   that call a model many times per run inside the timed loop
//                   (io/sleep_fanout): a trim there would cost the timed call page faults its
//                   allocator's cache would spare it, and without it a second call reuses the
//                   heap the first freed, so RSS alone would grow by nothing. Each figure is a
//                   lower bound of what the tasks hold (RSS misses reused heap, the heap
//                   figure misses thread stacks), so the larger is taken.
// Cost: a few system calls per reading (/proc/self/statm; malloc_trim at each rss_after_trim
// reading), one walk of malloc's free lists (mallinfo2) per rss_or_heap reading, one mutex
// per reading of the pool when counted.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <malloc.h>

#include <corio/detail/frame_allocator.hpp>

#include "harness/rusage.hpp"

namespace harness {

enum class MemoryGrowth { rss_after_trim, rss_or_heap };

// counted: the model runs corio tasks on this thread, and what they took from corio's frame
// pool is part of the growth. ignored: every other model (the pool is not read).
enum class FramePool { ignored, counted };

// RSS after handing free heap memory back to the kernel (malloc_trim(0)): what a previous
// call (or model) freed would otherwise be reused without RSS growing, and hide this call's
// cost.
inline std::int64_t settled_rss_bytes() noexcept {
  ::malloc_trim(0);
  return current_rss_bytes();
}

// Memory a model took since the probe was made, by the method at the top of this file.
// Thread safety: grown_bytes() may be called from any thread (malloc_trim locks each arena),
// but with FramePool::counted only the thread that made the probe sees the same pool.
class TaskMemoryProbe {
 public:
  TaskMemoryProbe(MemoryGrowth growth, FramePool pool) noexcept
      : growth_(growth),
        pool_counted_(pool == FramePool::counted),
        pool_free_(pool_counted_ ? corio::detail::frame_pool_free_bytes() : 0) {
    rss_ = growth == MemoryGrowth::rss_after_trim ? settled_rss_bytes() : current_rss_bytes();
    heap_ = growth == MemoryGrowth::rss_or_heap ? heap_in_use_bytes() : 0;
  }

  // The growth since the baseline, plus what was taken from corio's frame pool if counted.
  [[nodiscard]] std::int64_t grown_bytes() const noexcept {
    const std::int64_t pool_taken = frame_pool_taken_bytes();
    if (growth_ == MemoryGrowth::rss_after_trim) return settled_rss_bytes() - rss_ + pool_taken;
    const std::int64_t rss_grown = current_rss_bytes() - rss_;
    return std::max(rss_grown, heap_grown_bytes()) + pool_taken;
  }

  // rss_or_heap only (0 otherwise): the growth of malloc's bytes in use alone, exact for what
  // only malloc holds (closures in a queue), blind to thread stacks.
  [[nodiscard]] std::int64_t heap_grown_bytes() const noexcept {
    return growth_ == MemoryGrowth::rss_or_heap ? heap_in_use_bytes() - heap_ : 0;
  }

 private:
  // Bytes handed out by malloc, from its arenas and as separately mmapped blocks.
  static std::int64_t heap_in_use_bytes() noexcept {
    const struct mallinfo2 info = ::mallinfo2();
    return static_cast<std::int64_t>(info.uordblks + info.hblkhd);
  }

  [[nodiscard]] std::int64_t frame_pool_taken_bytes() const noexcept {
    if (!pool_counted_) return 0;
    const std::size_t pool_free_now = corio::detail::frame_pool_free_bytes();
    return pool_free_ > pool_free_now ? static_cast<std::int64_t>(pool_free_ - pool_free_now) : 0;
  }

  MemoryGrowth growth_;
  bool pool_counted_;
  std::size_t pool_free_;
  std::int64_t rss_ = 0;
  std::int64_t heap_ = 0;
};

// TaskMemoryProbe with its growth fixed, so that a workload names its method once in params.hpp
// (`using MemoryProbe = harness::TaskMemoryProbeOf<harness::MemoryGrowth::rss_after_trim>;`)
// and its models write `const MemoryProbe probe;` or, for corio,
// `const MemoryProbe probe(harness::FramePool::counted);`.
template <MemoryGrowth kGrowth>
class TaskMemoryProbeOf : public TaskMemoryProbe {
 public:
  explicit TaskMemoryProbeOf(FramePool pool = FramePool::ignored) noexcept
      : TaskMemoryProbe(kGrowth, pool) {}
};

// The "bytes_per_task" counter: the growth a TaskMemoryProbe (or a model's own measurement,
// like io/sleep_fanout's processes) found with N tasks alive, over N.
[[nodiscard]] inline double bytes_per_task(std::int64_t grown_bytes, std::int64_t tasks) noexcept {
  return static_cast<double>(grown_bytes) / static_cast<double>(tasks);
}

}  // namespace harness
