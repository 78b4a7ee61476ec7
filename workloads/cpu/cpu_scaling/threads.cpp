// threads: a std::thread per part, each writing its checksum into its own slot, all joined:
// the plain thread-per-task program. The OS scheduler shares the cores among the W threads,
// so past the core count every extra thread adds a creation (clone, a fresh stack) and time
// slices that interrupt the others, but no speed. join() publishes each slot to this thread.
// If the OS refuses a thread, the threads already started finish and the run fails its check.

#include <cstdint>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "workloads/common/os_threads.hpp"
#include "workloads/cpu/cpu_scaling/kernels.hpp"
#include "workloads/cpu/cpu_scaling/params.hpp"

namespace workloads::cpu::cpu_scaling {

Result threads(const Params& params) {
  const auto parts = static_cast<std::size_t>(params.workers);
  std::vector<std::uint64_t> checksums(parts);
  std::vector<std::thread> workers;
  workers.reserve(parts);

  Result result;
  try {
    for (std::size_t part = 0; part < parts; ++part) {
      workers.emplace_back([&params, &checksums, part] {
        checksums[part] = kernels::run_part(params.kernel, params.work,
                                            static_cast<std::int64_t>(part), params.workers);
      });
    }
  } catch (const std::system_error& error) {
    result.error =
        common::refused_thread_error(workers.size(), static_cast<std::int64_t>(parts), error);
  }
  for (std::thread& worker : workers) worker.join();

  for (std::size_t part = 0; part < workers.size(); ++part) {
    result.checksum = kernels::combine(result.checksum, checksums[part]);
    ++result.parts_done;
  }
  result.os_workers = static_cast<std::int64_t>(workers.size());
  return result;
}

}  // namespace workloads::cpu::cpu_scaling
