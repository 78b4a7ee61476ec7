// corio_server_tests' main: GoogleTest, or, as `corio_server_tests serve ...`, the serve command
// over the workloads' servers (what corio-bench's main registers before `serve`), which is
// what ServerProcess::start_serve runs when it executes /proc/self/exe from a test.
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "bench/serve.hpp"
#include "harness/registrar.hpp"
#include "workloads/registry.hpp"

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "serve") {
    harness::Registrar registrar = harness::Registrar::servers();
    workloads::register_all(registrar);
    return bench::serve_command(std::vector<std::string>(argv + 2, argv + argc));
  }
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
