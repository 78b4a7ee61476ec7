// corio's HTTP server with the tests' routes (http_test_routes.hpp) on one loop, serving a
// listening socket it inherits: `corio_test_http_server FD`. A process of its own, so that a
// test can read the server's memory (VmRSS) with nothing of the test process's heap in it
// (http_server_memory_test.cpp). Runs until killed.
#include <cstdio>
#include <cstdlib>
#include <exception>

#include <corio/corio.hpp>
#include <corio/net/http_server.hpp>

#include "http_test_routes.hpp"

namespace {

corio::Task<void> serve(int listen_fd) {
  co_await corio::net::http::serve(corio::net::TcpListener::adopt(listen_fd),
                                   &corio::testing::test_routes);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: corio_test_http_server LISTENING_FD\n");
    return 2;
  }
  try {
    corio::run(serve(std::atoi(argv[1])));
  } catch (const std::exception& error) {
    std::fprintf(stderr, "corio_test_http_server: %s\n", error.what());
    return 1;
  }
  return 0;
}
