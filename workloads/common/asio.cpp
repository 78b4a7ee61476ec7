#include "workloads/common/asio.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace workloads::common {

std::int64_t run_on_threads(boost::asio::io_context& context, int threads, std::string* error) {
  std::vector<std::thread> runners;
  runners.reserve(static_cast<std::size_t>(threads > 1 ? threads - 1 : 0));
  try {
    for (int i = 1; i < threads; ++i) runners.emplace_back([&context] { context.run(); });
  } catch (const std::system_error& refused) {
    *error = std::string("the OS refused an io_context thread (") + refused.what() + ")";
  }
  context.run();
  for (std::thread& runner : runners) runner.join();
  return static_cast<std::int64_t>(runners.size()) + 1;
}

}  // namespace workloads::common
