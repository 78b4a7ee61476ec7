// harness/rusage.hpp against what the kernel must report after known work.
#include "harness/rusage.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>
#include <time.h>

#include <gtest/gtest.h>

namespace harness {
namespace {

constexpr std::int64_t touched_bytes = std::int64_t{64} << 20;

// Allocates and writes one byte per page, so that exactly those pages become resident.
std::unique_ptr<char[]> touch_pages(std::int64_t bytes) {
  auto block = std::make_unique_for_overwrite<char[]>(static_cast<std::size_t>(bytes));
  // Through a volatile pointer: the block is never read, and clang -O2 would otherwise drop
  // the stores (and with them the pages this test needs resident).
  volatile char* pages = block.get();
  for (std::int64_t offset = 0; offset < bytes; offset += 4096) {
    pages[offset] = 1;
  }
  return block;
}

TEST(Rss, CurrentGrowsByTouchedPages) {
  const std::int64_t before = current_rss_bytes();
  ASSERT_GT(before, 0);
  const auto block = touch_pages(touched_bytes);
  const std::int64_t grown = current_rss_bytes() - before;
  // Within 5%: page tables and allocator bookkeeping come with the pages.
  EXPECT_GE(grown, touched_bytes * 95 / 100);
  EXPECT_LE(grown, touched_bytes * 105 / 100);
}

TEST(Rss, PeakResetsToCurrent) {
  {
    const auto block = touch_pages(touched_bytes);
  }  // freed: large blocks go back to the OS
  ASSERT_GE(peak_rss_bytes(), touched_bytes);
  if (!reset_peak_rss()) GTEST_SKIP() << "/proc/self/clear_refs refused the reset";
  EXPECT_LT(peak_rss_bytes(), current_rss_bytes() + touched_bytes / 2);
}

TEST(ContextSwitches, SleepingCountsAsVoluntary) {
  const ContextSwitches before = context_switches();
  std::this_thread::sleep_for(std::chrono::milliseconds(1));  // blocks, so gives up the CPU
  const ContextSwitches after = context_switches();
  EXPECT_GE(after.voluntary, before.voluntary + 1);
  EXPECT_GE(after.involuntary, before.involuntary);
}

// CPU time counts what every thread burned, including a thread that has exited (which is how
// the cpu_scaling models use it), and not what a sleep waited.
TEST(CpuTime, CountsAnExitedThreadsWorkAndNotASleep) {
  // Spins until the thread itself has run 50 ms, however busy the machine is.
  const auto spin = [] {
    timespec used{};
    do {
      ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &used);
    } while (used.tv_sec == 0 && used.tv_nsec < 50'000'000);
  };
  const std::chrono::nanoseconds before = cpu_time();
  std::thread(spin).join();
  const std::chrono::nanoseconds after_spin = cpu_time();
  EXPECT_GE(after_spin - before, std::chrono::milliseconds(45));  // resolution: a tick or so
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_LT(cpu_time() - after_spin, std::chrono::milliseconds(25));
}

}  // namespace
}  // namespace harness
