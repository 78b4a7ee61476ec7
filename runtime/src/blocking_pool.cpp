#include <algorithm>
#include <mutex>
#include <thread>

#include <corio/detail/blocking_pool.hpp>

namespace corio::detail {

BlockingPool::BlockingPool(std::size_t max_threads)
    : max_threads_(std::max<std::size_t>(1, max_threads)) {}

BlockingPool::~BlockingPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

std::size_t BlockingPool::default_max_threads() noexcept {
  const std::size_t cores = std::max(1U, std::thread::hardware_concurrency());
  return std::min<std::size_t>(32, cores + 4);
}

void BlockingPool::submit(BlockingJob& job) {
  std::unique_lock lock(mutex_);
  job.next = nullptr;
  if (tail_ != nullptr) {
    tail_->next = &job;
  } else {
    head_ = &job;
  }
  tail_ = &job;
  if (idle_ == 0 && threads_.size() < max_threads_) {
    threads_.emplace_back([this] { worker(); });
    return;
  }
  lock.unlock();
  work_ready_.notify_one();
}

void BlockingPool::worker() noexcept {
  std::unique_lock lock(mutex_);
  for (;;) {
    ++idle_;
    work_ready_.wait(lock, [this] { return head_ != nullptr || stopping_; });
    --idle_;
    if (head_ == nullptr) return;  // stopping and nothing left to run
    BlockingJob* job = head_;
    head_ = job->next;
    if (head_ == nullptr) tail_ = nullptr;
    lock.unlock();
    job->run(job);
    lock.lock();
  }
}

}  // namespace corio::detail
