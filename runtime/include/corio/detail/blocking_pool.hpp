#pragma once
// Threads that run blocking functions for to_thread() (asyncio's default executor).
//
//   corio::detail::BlockingJob   an intrusive job: run() is called once on a pool thread
//   corio::detail::BlockingPool  grows a thread per queued job up to max_threads; idle threads
//                                wait for work; the destructor runs what is queued and joins
//
// One per EventLoop, created on first use, so a program that never calls to_thread() starts
// no thread.

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

namespace corio::detail {

struct BlockingJob {
  void (*run)(BlockingJob* self) noexcept = nullptr;
  BlockingJob* next = nullptr;
};

class BlockingPool {
 public:
  explicit BlockingPool(std::size_t max_threads);
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;
  ~BlockingPool();

  void submit(BlockingJob& job);

  // asyncio's default: min(32, cores + 4).
  static std::size_t default_max_threads() noexcept;

 private:
  void worker() noexcept;

  std::mutex mutex_;
  std::condition_variable work_ready_;
  BlockingJob* head_ = nullptr;
  BlockingJob* tail_ = nullptr;
  std::size_t idle_ = 0;
  bool stopping_ = false;
  std::size_t max_threads_;
  std::vector<std::thread> threads_;
};

}  // namespace corio::detail
