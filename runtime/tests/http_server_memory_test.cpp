// What an idle keep-alive connection costs corio's HTTP server, and that such connections are
// given back their workspace correctly:
//
//   HttpServerIdleConnections   10,000 idle keep-alive connections on one loop, in a child
//                               process whose VmRSS is the server's own: at most 1 KiB each,
//                               and a new client still answered quickly beside them
//   HttpServerWorkspaces        in-process (sanitizer-checked): connections going idle and
//                               busy again, pipelined leftovers, a partial request
// (TcpStream::wait_readable, which the idle wait uses, is tested in tcp_test.cpp.)
//
// The server is a fresh process (http_test_child.hpp's TestServerChild), not a fork of this
// one: a forked child would reuse the heap that earlier tests freed, and the figure would
// depend on what ran before it.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <sys/types.h>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include <corio/corio.hpp>
#include <corio/detail/sanitizers.hpp>
#include <corio/net/http_client.hpp>
#include <corio/net/http_server.hpp>

#include "http_test_child.hpp"
#include "http_test_routes.hpp"

namespace {

using corio::Task;
using corio::net::TcpListener;
using corio::net::TcpStream;
namespace http = corio::net::http;

using corio::testing::connect_blocking;
using corio::testing::request_plaintext;
using corio::testing::vm_rss_bytes;
constexpr std::string_view kRequest = corio::testing::kPlaintextRequest;
constexpr std::string_view kBody = corio::testing::kPlaintextBody;

// The figures (issue 14): nginx holds an idle connection in 526 bytes; corio's server
// is to hold one in at most 1 KiB beyond the loop, and answer a new client within 10 ms p99
// beside 10,000 idle ones. The test allows 50 ms: CI machines are shared and noisy.
constexpr int kIdleConnections = 10'000;
constexpr std::int64_t kMostBytesPerIdleConnection = 1024;
constexpr int kNewClients = 100;
#if CORIO_SANITIZED
constexpr double kMostNewClientP99Ms = 200.0;  // the sanitizers slow both processes down
#else
constexpr double kMostNewClientP99Ms = 50.0;
#endif

// corio's server on one loop in a child process (http_test_child.hpp).
class HttpServerIdleConnections : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Both processes hold kIdleConnections sockets; the child inherits the raised limit.
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < static_cast<rlim_t>(kIdleConnections) + kNewClients + 64) {
      skip_reason_ = "the descriptor limit (ulimit -Hn) is " + std::to_string(limit.rlim_cur) +
                     ": " + std::to_string(kIdleConnections) + " connections need more";
      return;
    }
    child_.emplace();
    server_ = child_->pid();
    port_ = child_->port();

    // One request first: the loop, its frame pool and one workspace exist before the baseline.
    const int warm = connect_blocking(port_);
    ASSERT_TRUE(request_plaintext(warm));
    ::close(warm);
    rss_before_ = vm_rss_bytes(server_);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kIdleConnections; ++i) {
      const int fd = connect_blocking(port_);
      idle_.push_back(fd);
      ASSERT_TRUE(request_plaintext(fd)) << "connection " << i;
    }
    // Every reply is in, so the server has handled every request: its connections are idle.
    rss_after_ = vm_rss_bytes(server_);
    open_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  static void TearDownTestSuite() {
    for (const int fd : idle_) ::close(fd);
    idle_.clear();
    child_.reset();  // kills and reaps the server
    server_ = -1;
  }

  void SetUp() override {
    if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
  }

  static inline std::optional<corio::testing::TestServerChild> child_;
  static inline pid_t server_ = -1;
  static inline std::uint16_t port_ = 0;
  static inline std::vector<int> idle_;
  static inline std::int64_t rss_before_ = 0;
  static inline std::int64_t rss_after_ = 0;
  static inline double open_seconds_ = 0;
  static inline std::string skip_reason_;
};

TEST_F(HttpServerIdleConnections, EachCostsTheServerAtMostOneKiB) {
#if CORIO_SANITIZED
  GTEST_SKIP() << "a sanitizer's shadow memory and quarantine are in VmRSS";
#endif
  ASSERT_EQ(idle_.size(), static_cast<std::size_t>(kIdleConnections));
  ASSERT_GT(rss_before_, 0);
  const std::int64_t per_connection = (rss_after_ - rss_before_) / kIdleConnections;
  std::cout << "server VmRSS " << rss_before_ / 1024 << " KiB -> " << rss_after_ / 1024
            << " KiB with " << kIdleConnections << " idle keep-alive connections (opened in "
            << open_seconds_ << " s): " << per_connection << " bytes each\n";
  RecordProperty("bytes_per_idle_connection", std::to_string(per_connection));
  EXPECT_LE(per_connection, kMostBytesPerIdleConnection);
}

TEST_F(HttpServerIdleConnections, NewClientIsAnsweredQuicklyBesideThem) {
  ASSERT_EQ(idle_.size(), static_cast<std::size_t>(kIdleConnections));
  std::vector<double> milliseconds;
  for (int i = 0; i < kNewClients; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const int fd = connect_blocking(port_);
    const bool answered = request_plaintext(fd);
    milliseconds.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    ::close(fd);
    ASSERT_TRUE(answered) << "new client " << i;
  }
  std::ranges::sort(milliseconds);
  const double p50 = milliseconds[kNewClients / 2];
  const double p99 = milliseconds[kNewClients * 99 / 100 - 1];
  std::cout << "new client (connect, request, whole reply) beside " << kIdleConnections
            << " idle connections: p50 " << p50 << " ms, p99 " << p99 << " ms\n";
  RecordProperty("new_client_p99_ms", std::to_string(p99));
  EXPECT_LE(p99, kMostNewClientP99Ms);
  // And the idle ones still work: their workspaces come back from the free list.
  for (int i = 0; i < kIdleConnections; i += 1000) {
    EXPECT_TRUE(request_plaintext(idle_[static_cast<std::size_t>(i)])) << "idle connection " << i;
  }
}

// --- in-process: the workspace hand-over, under the sanitizers too ---

// Reads until `count` replies (each ending in `body`) are in.
Task<std::string> read_replies(TcpStream* stream, std::string_view body, int count) {
  std::string text;
  std::array<char, 4096> chunk{};
  int seen = 0;
  while (seen < count) {
    const std::size_t n = co_await stream->read(chunk);
    if (n == 0) break;
    text.append(chunk.data(), n);
    seen = 0;
    for (std::size_t at = text.find(body); at != std::string::npos;
         at = text.find(body, at + body.size())) {
      ++seen;
    }
  }
  co_return text;
}

TEST(HttpServerWorkspaces, ConnectionsGoingIdleAndBusyAgainAreAnsweredInOrder) {
  auto main_task = []() -> Task<int> {
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    const std::uint16_t port = listener.local_port();
    http::ServerOptions options;
    options.spare_workspaces = 2;  // fewer spares than connections: some are freed and rebuilt
    auto server =
        corio::spawn(http::serve(std::move(listener), &corio::testing::test_routes, options));
    std::vector<TcpStream> clients;
    clients.reserve(20);
    for (int i = 0; i < 20; ++i) clients.push_back(co_await TcpStream::connect("127.0.0.1", port));
    int answered = 0;
    for (int round = 0; round < 3; ++round) {
      // All send before any reads: every connection holds a workspace at once.
      for (TcpStream& client : clients) co_await client.write_all(kRequest);
      for (TcpStream& client : clients) {
        const std::string reply = co_await read_replies(&client, kBody, 1);
        if (reply.starts_with("HTTP/1.1 200 ")) ++answered;
      }
    }
    server.cancel();
    EXPECT_THROW(co_await server, corio::CancelledError);
    co_return answered;
  };
  EXPECT_EQ(corio::run(main_task()), 60);
}

TEST(HttpServerWorkspaces, PartialRequestAndPipelinedLeftoverKeepTheirBytes) {
  auto main_task = []() -> Task<std::string> {
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    const std::uint16_t port = listener.local_port();
    auto server = corio::spawn(http::serve(std::move(listener), &corio::testing::test_routes));
    TcpStream client = co_await TcpStream::connect("127.0.0.1", port);
    // One whole request plus the first half of the next: the first is answered, and the half
    // must still be there when the rest arrives.
    const std::string first = std::string(kRequest) + "GET /plaint";
    co_await client.write_all(first);
    std::string replies = co_await read_replies(&client, kBody, 1);
    co_await corio::sleep(std::chrono::milliseconds(20));
    co_await client.write_all(std::string_view("ext HTTP/1.1\r\nHost: t\r\n\r\n"));
    replies += co_await read_replies(&client, kBody, 1);
    server.cancel();
    EXPECT_THROW(co_await server, corio::CancelledError);
    co_return replies;
  };
  const std::string replies = corio::run(main_task());
  std::size_t count = 0;
  for (std::size_t at = replies.find("HTTP/1.1 200 "); at != std::string::npos;
       at = replies.find("HTTP/1.1 200 ", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 2U) << replies;
}

}  // namespace
