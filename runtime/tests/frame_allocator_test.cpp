#include <cstring>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <corio/detail/frame_allocator.hpp>

namespace {

using corio::detail::frame_allocate;
using corio::detail::frame_deallocate;

TEST(FrameAllocator, FreedBlockIsReusedForTheSameSizeClass) {
  void* first = frame_allocate(200);
  frame_deallocate(first, 200);
  void* second = frame_allocate(200);
#if CORIO_DETAIL_FRAME_POOL
  EXPECT_EQ(first, second);
#endif
  frame_deallocate(second, 200);
}

TEST(FrameAllocator, LiveBlocksNeverOverlap) {
  std::vector<std::pair<char*, std::size_t>> blocks;
  for (std::size_t size = 1; size <= 2048; size += 37) {
    auto* block = static_cast<char*>(frame_allocate(size));
    std::memset(block, 0xAB, size);
    blocks.emplace_back(block, size);
  }
  std::set<char*> starts;
  for (auto& [block, size] : blocks) EXPECT_TRUE(starts.insert(block).second);
  for (auto& [block, size] : blocks) frame_deallocate(block, size);
}

TEST(FrameAllocator, BlocksFreedOnAnotherThreadAreUsable) {
  std::vector<void*> blocks;
  for (int i = 0; i < 1000; ++i) blocks.push_back(frame_allocate(96));
  std::thread other([&blocks] {
    for (void* block : blocks) frame_deallocate(block, 96);
    // This thread exits now: its free list goes to the shared pool.
  });
  other.join();
  std::vector<void*> again;
  for (int i = 0; i < 1000; ++i) again.push_back(frame_allocate(96));
  for (void* block : again) frame_deallocate(block, 96);
}

}  // namespace
