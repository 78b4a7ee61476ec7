#include <cstddef>
#include <exception>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

#include <corio/run_sharded.hpp>

namespace corio::detail {

void run_shards(std::size_t shards, void (*body)(void* context, std::size_t shard), void* context) {
  std::mutex error_mutex;
  std::exception_ptr first_error;
  // The shards wait until every thread has started, so a failure to start one runs none.
  std::latch start{1};
  bool abandoned = false;  // written before start.count_down(), read after start.wait()

  auto shard_main = [&](std::size_t shard) noexcept {
    start.wait();
    if (abandoned) return;
    try {
      body(context, shard);
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!first_error) first_error = std::current_exception();
    }
  };

  std::vector<std::thread> threads;
  threads.reserve(shards);
  try {
    for (std::size_t shard = 0; shard < shards; ++shard) threads.emplace_back(shard_main, shard);
  } catch (...) {
    abandoned = true;
    start.count_down();
    for (std::thread& thread : threads) thread.join();
    throw;
  }
  start.count_down();
  for (std::thread& thread : threads) thread.join();
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace corio::detail
