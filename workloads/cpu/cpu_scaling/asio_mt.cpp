// asio_mt: one io_context run by one thread per core; each part is a handler post()ed to it,
// writing its checksum into its own slot. The threads pull handlers from the io_context's one
// queue, so W parts run N at a time, and run() returns in each thread once every handler has
// finished (posted handlers count as outstanding work). This is how an Asio program spreads
// CPU work over a multi-threaded io_context: no strand, since no two handlers touch the same
// data. Joining the runners publishes the slots to this thread. The io_context and its
// threads are made per call (starting two threads is ~0.1 ms beside a 100 ms run).

#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "workloads/cpu/cpu_scaling/kernels.hpp"
#include "workloads/cpu/cpu_scaling/params.hpp"

namespace asio = boost::asio;

namespace workloads::cpu::cpu_scaling {

Result asio_mt(const Params& params) {
  const auto threads = static_cast<std::size_t>(cores());
  // The hint tells Asio how many threads will call run(): it keeps its locking on.
  asio::io_context context(static_cast<int>(threads));
  std::vector<std::uint64_t> checksums(static_cast<std::size_t>(params.workers));
  for (std::size_t part = 0; part < checksums.size(); ++part) {
    asio::post(context, [&params, &checksums, part] {
      checksums[part] = kernels::run_part(params.kernel, params.work,
                                          static_cast<std::int64_t>(part), params.workers);
    });
  }

  Result result;
  std::vector<std::thread> runners;
  runners.reserve(threads);
  try {
    for (std::size_t i = 0; i < threads; ++i) runners.emplace_back([&context] { context.run(); });
  } catch (const std::system_error& error) {
    result.error = "the OS refused io_context thread " + std::to_string(runners.size() + 1) +
                   " of " + std::to_string(threads) + " (" + error.what() + ")";
    if (runners.empty()) return result;  // nobody ran anything; the context drops the handlers
  }
  for (std::thread& runner : runners) runner.join();

  for (std::uint64_t checksum : checksums) {
    result.checksum = kernels::combine(result.checksum, checksum);
    ++result.parts_done;
  }
  result.os_workers = static_cast<std::int64_t>(runners.size());
  return result;
}

}  // namespace workloads::cpu::cpu_scaling
