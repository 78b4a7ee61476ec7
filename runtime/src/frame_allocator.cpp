// Slow path of the frame pool: adopt blocks another thread left behind, or carve a new chunk.
#include <cstddef>
#include <cstdlib>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

#include <corio/detail/frame_allocator.hpp>

namespace corio::detail {
namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;

// Free lists left by exited threads, kept whole (a thread's list is handed over without
// walking it: with a million free frames, walking would cost milliseconds at thread exit).
struct SharedPool {
  struct List {
    FreeBlock* head;
    std::size_t blocks;
  };
  std::mutex mutex;
  std::vector<List> lists[kFrameClasses];
  std::size_t free_bytes = 0;
};

SharedPool& shared_pool() {
  static auto* pool = new SharedPool;  // never destroyed: threads may exit after main
  return *pool;
}

// Per-thread bump region for carving new blocks, and the hand-over at thread exit.
struct ThreadChunks {
  char* next = nullptr;
  char* end = nullptr;

  ThreadChunks() = default;
  ThreadChunks(const ThreadChunks&) = delete;
  ThreadChunks& operator=(const ThreadChunks&) = delete;
  ~ThreadChunks() {
    SharedPool& pool = shared_pool();
    std::lock_guard lock(pool.mutex);
    for (std::size_t size_class = 1; size_class < kFrameClasses; ++size_class) {
      if (FreeBlock* list = std::exchange(tls_frame_pool.heads[size_class], nullptr)) {
        const std::size_t blocks = std::exchange(tls_frame_pool.free_blocks[size_class], 0);
        pool.lists[size_class].push_back({list, blocks});
        pool.free_bytes += blocks * size_class * kFrameGranule;
      }
    }
    // The unused tail of the current chunk is dropped; at most 64 KiB per exited thread.
  }
};

thread_local ThreadChunks tls_chunks;

}  // namespace

void* frame_pool_refill(std::size_t size_class) {
  ThreadChunks& chunks = tls_chunks;  // constructs it, so the thread's blocks are handed over
  {
    SharedPool& pool = shared_pool();
    std::lock_guard lock(pool.mutex);
    if (!pool.lists[size_class].empty()) {
      const SharedPool::List adopted = pool.lists[size_class].back();
      pool.lists[size_class].pop_back();
      pool.free_bytes -= adopted.blocks * size_class * kFrameGranule;
      tls_frame_pool.heads[size_class] = adopted.head->next;
      tls_frame_pool.free_blocks[size_class] = adopted.blocks - 1;
      return adopted.head;
    }
  }
  const std::size_t block_bytes = size_class * kFrameGranule;
  if (static_cast<std::size_t>(chunks.end - chunks.next) < block_bytes) {
    chunks.next = static_cast<char*>(::operator new(kChunkBytes));
    chunks.end = chunks.next + kChunkBytes;
  }
  void* block = chunks.next;
  chunks.next += block_bytes;
  return block;
}

std::size_t frame_pool_free_bytes() noexcept {
  std::size_t bytes = 0;
  for (std::size_t size_class = 1; size_class < kFrameClasses; ++size_class) {
    bytes += tls_frame_pool.free_blocks[size_class] * size_class * kFrameGranule;
  }
  SharedPool& pool = shared_pool();
  std::lock_guard lock(pool.mutex);
  return bytes + pool.free_bytes;
}

}  // namespace corio::detail
