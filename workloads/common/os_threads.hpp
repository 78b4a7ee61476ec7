#pragma once
// OS threads as the threaded models use them: how many the machine runs at once, and what a
// model reports when the OS refuses one.
//
//   hardware_threads()        std::thread::hardware_concurrency(), at least 1
//   refused_thread_error(...) "the OS refused thread 1001 of 10000 (...): this machine's
//                             limits (ulimit -u, ulimit -v, vm.max_map_count) allow fewer"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>
#include <thread>

namespace workloads::common {

// Hardware threads (cores, or SMT siblings), at least 1: hardware_concurrency() is 0 when the
// standard library cannot tell.
[[nodiscard]] inline std::int64_t hardware_threads() noexcept {
  return static_cast<std::int64_t>(std::max(1U, std::thread::hardware_concurrency()));
}

// What a thread-per-task model reports when std::thread's constructor threw after `made` of
// `wanted` threads were started: which one failed, why, and which limits to look at.
[[nodiscard]] inline std::string refused_thread_error(std::size_t made, std::int64_t wanted,
                                                      const std::system_error& error) {
  return "the OS refused thread " + std::to_string(made + 1) + " of " + std::to_string(wanted) +
         " (" + error.what() +
         "): this machine's limits (ulimit -u, ulimit -v, vm.max_map_count) allow fewer";
}

}  // namespace workloads::common
