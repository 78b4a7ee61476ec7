// corio_bench_tests' main: GoogleTest, or, as `corio_bench_tests serve ...`, the serve
// command with the test servers (test_servers.hpp), which is what ServerProcess::start_serve
// runs when it executes /proc/self/exe from a test.
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "bench/serve.hpp"
#include "bench/tests/test_servers.hpp"

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "serve") {
    harness::test::register_test_servers();
    return bench::serve_command(std::vector<std::string>(argv + 2, argv + argc));
  }
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
