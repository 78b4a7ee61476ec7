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
  std::mutex mutex;
  std::vector<FreeBlock*> lists[kFrameClasses];
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
        pool.lists[size_class].push_back(list);
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
      FreeBlock* adopted = pool.lists[size_class].back();
      pool.lists[size_class].pop_back();
      tls_frame_pool.heads[size_class] = adopted->next;
      return adopted;
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

}  // namespace corio::detail
