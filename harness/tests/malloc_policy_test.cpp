// harness/malloc_policy.hpp: with the thresholds pinned, memory a call frees stays in the heap
// for the next call instead of going back to the kernel.
//
// The pin is process-wide and cannot be undone (mallopt turns glibc's own adjustment off for
// good), so the test runs in a child process: the other tests of this binary keep glibc's
// defaults, as they would without it.
#include "harness/malloc_policy.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <malloc.h>
#include <vector>

#include <gtest/gtest.h>

#include <corio/detail/sanitizers.hpp>

#include "harness/rusage.hpp"

namespace {

constexpr bool kSanitizerMalloc = CORIO_SANITIZED != 0;

constexpr std::size_t kMiB = std::size_t{1} << 20;
constexpr auto kMiBs = static_cast<std::int64_t>(kMiB);

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "%s\n", what);
  std::_Exit(1);
}

// Runs in the child: exits 0 when every expectation holds, else prints the first that did not.
[[noreturn]] void pin_and_check_freed_blocks_stay_resident() {
  ::unsetenv("GLIBC_TUNABLES");
  if (!harness::pin_malloc_thresholds()) fail("mallopt refused the thresholds");
  const char* exported = std::getenv("GLIBC_TUNABLES");
  if (exported == nullptr || std::strcmp(exported, harness::kMallocTunables) != 0) {
    fail("GLIBC_TUNABLES not exported for child processes");
  }
  ::malloc_trim(0);
  const std::int64_t before = harness::current_rss_bytes();
  std::vector<void*> blocks;
  blocks.reserve(16);
  for (int i = 0; i < 16; ++i) {
    void* block = std::malloc(kMiB);
    if (block == nullptr) fail("malloc failed");
    std::memset(block, 1, kMiB);  // resident
    blocks.push_back(block);
  }
  const std::int64_t grown = harness::current_rss_bytes();
  if (grown - before < 12 * kMiBs) fail("the blocks did not grow the resident set");
  for (void* block : blocks) std::free(block);
  if (harness::current_rss_bytes() < grown - 2 * kMiBs) fail("free() gave the blocks back");
  ::malloc_trim(0);  // what the harness does before a benchmark's first batch still works
  if (harness::current_rss_bytes() >= grown - 8 * kMiBs) fail("malloc_trim kept the blocks");
  std::_Exit(0);
}

// 1 MiB blocks are above glibc's default mmap threshold (128 KiB): without the pin each is
// mapped on its own and unmapped by free(), and this test fails.
TEST(MallocPolicy, FreedBlocksStayResidentForTheNextCall) {
  if (kSanitizerMalloc) GTEST_SKIP() << "the sanitizer's malloc has no thresholds to pin";
  EXPECT_EXIT(pin_and_check_freed_blocks_stay_resident(), testing::ExitedWithCode(0), "");
}

}  // namespace
