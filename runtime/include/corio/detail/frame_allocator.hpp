#pragma once
// Recycling allocator for coroutine frames and task bookkeeping.
//
//   corio::detail::frame_allocate(size)          one block of `size` bytes
//   corio::detail::frame_deallocate(ptr, size)   gives it back (any thread)
//
// Why: a task's cost is mostly its frame. Per-thread free lists, one per 16-byte size class up
// to 1 KiB, carved from 64 KiB chunks, make an allocation a pop and a free a push (no lock, no
// malloc header). A block freed on another thread joins that thread's list; a thread's lists
// go to a shared pool when it exits, and new threads adopt them, so memory is reused, never
// lost. Chunks are never returned to the OS: the pool keeps its high-water mark.
//
// Under AddressSanitizer and ThreadSanitizer the pool is bypassed (plain operator new) so the
// sanitizers see every frame's lifetime.

#include <cassert>
#include <cstddef>
#include <new>

#include <corio/detail/sanitizers.hpp>

#if CORIO_SANITIZED
#define CORIO_DETAIL_FRAME_POOL 0
#else
#define CORIO_DETAIL_FRAME_POOL 1
#endif

namespace corio::detail {

inline constexpr std::size_t kFrameGranule = 16;
inline constexpr std::size_t kMaxPooledFrame = 1024;
inline constexpr std::size_t kFrameClasses = kMaxPooledFrame / kFrameGranule + 1;

struct FreeBlock {
  FreeBlock* next;
};

// Trivial so that thread_local access needs no initialisation guard on the hot path.
struct FramePool {
  FreeBlock* heads[kFrameClasses];
  std::size_t free_blocks[kFrameClasses];  // blocks in each list, for frame_pool_free_bytes()
};

inline thread_local constinit FramePool tls_frame_pool{};

// Slow path: adopt blocks from the shared pool or carve a new chunk. Out of line.
void* frame_pool_refill(std::size_t size_class);

// Bytes the pool holds ready for reuse (this thread's lists and those left by exited threads).
// Memory measurements add back what a run took from here: a fresh process would have had to
// get those bytes from the OS, and RSS alone would not show them. 0 when the pool is bypassed.
[[nodiscard]] std::size_t frame_pool_free_bytes() noexcept;

// size > 0: there is no class for 0 bytes (a 0-byte block would share its address with the
// next block carved, whose first bytes the free list would then overwrite).
inline void* frame_allocate(std::size_t size) {
  assert(size > 0 && "corio::detail::frame_allocate(0)");
#if CORIO_DETAIL_FRAME_POOL
  if (size <= kMaxPooledFrame) {
    const std::size_t size_class = (size + kFrameGranule - 1) / kFrameGranule;
    FreeBlock*& head = tls_frame_pool.heads[size_class];
    if (FreeBlock* block = head) {
      head = block->next;
      --tls_frame_pool.free_blocks[size_class];
      return block;
    }
    return frame_pool_refill(size_class);
  }
#endif
  return ::operator new(size);
}

inline void frame_deallocate(void* ptr, std::size_t size) noexcept {
#if CORIO_DETAIL_FRAME_POOL
  if (size <= kMaxPooledFrame) {
    const std::size_t size_class = (size + kFrameGranule - 1) / kFrameGranule;
    auto* block = static_cast<FreeBlock*>(ptr);
    block->next = tls_frame_pool.heads[size_class];
    tls_frame_pool.heads[size_class] = block;
    ++tls_frame_pool.free_blocks[size_class];
    return;
  }
#endif
  (void)size;              // unused when the pool is bypassed
  ::operator delete(ptr);  // unsized: clang needs -fsized-deallocation for the other
}

// Base for heap objects that should come from the frame pool (task bookkeeping).
struct PooledObject {
  static void* operator new(std::size_t size) { return frame_allocate(size); }
  static void operator delete(void* ptr, std::size_t size) noexcept { frame_deallocate(ptr, size); }
};

}  // namespace corio::detail
