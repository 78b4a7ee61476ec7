#include <array>
#include <atomic>
#include <cstdlib>
#include <new>
#include <pthread.h>
#include <signal.h>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include <corio/corio.hpp>
#include <corio/detail/sanitizers.hpp>
#include <corio/net/http_client.hpp>
#include <corio/net/http_server.hpp>
#include <corio/signal.hpp>

#include "http_test_routes.hpp"

// Counting replacements of the global operator new, for the steady-state allocation test. Not
// under the sanitizers, which bypass the frame pool (every coroutine frame is then an
// allocation) and want their own operator new.

namespace {
// Unused under the sanitizers, which replace operator new themselves.
[[maybe_unused]] std::atomic<long> g_allocations{0};
}  // namespace

#if !CORIO_SANITIZED
void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#endif

namespace {

using corio::CancelledError;
using corio::Task;
using corio::net::TcpListener;
using corio::net::TcpStream;
namespace http = corio::net::http;

// Reads until the peer closes its side.
Task<std::string> read_to_end(TcpStream& stream) {
  std::string text;
  std::array<char, 4096> chunk{};
  for (;;) {
    const std::size_t n = co_await stream.read(chunk);
    if (n == 0) co_return text;
    text.append(chunk.data(), n);
  }
}

// Stops a server the way corio-bench serve does: cancel, then wait for its connections.
Task<void> stop(corio::JoinHandle<void> server) {
  server.cancel();
  EXPECT_THROW(co_await server, CancelledError);
}

TEST(HttpServer, PlaintextRoundTripThroughTheClient) {
  auto main_task = []() -> Task<void> {
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    const std::uint16_t port = listener.local_port();
    auto server = corio::spawn(http::serve(std::move(listener), &corio::testing::test_routes));
    http::Client client = co_await http::Client::connect("127.0.0.1", port);
    const http::Client::Result result = co_await client.get("/plaintext");
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.body, "Hello, World!");
    const http::Client::Result missing = co_await client.get("/nowhere");
    EXPECT_EQ(missing.status, 404);
    co_await stop(std::move(server));
  };
  corio::run(main_task());
}

TEST(HttpClient, KeepsOneConnectionAliveForAHundredRequests) {
  auto main_task = []() -> Task<int> {
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    const std::uint16_t port = listener.local_port();
    auto server = corio::spawn(http::serve(std::move(listener), &corio::testing::test_routes));
    http::Client client = co_await http::Client::connect("127.0.0.1", port);
    const int fd = client.is_open() ? 1 : 0;
    int ok = 0;
    for (int i = 0; i < 100; ++i) {
      const http::Client::Result result = co_await client.get("/plaintext");
      if (result.status == 200 && result.body == "Hello, World!" && client.is_open()) ++ok;
    }
    co_await stop(std::move(server));
    co_return ok* fd;
  };
  EXPECT_EQ(corio::run(main_task()), 100);
}

// Parses `count` responses from `bytes`; statuses and bodies in order.
std::vector<std::pair<int, std::string>> parse_responses(std::string_view bytes) {
  std::vector<std::pair<int, std::string>> out;
  http::ResponseParser parser;
  for (;;) {
    const http::ParseResult result = parser.parse(bytes);
    if (result.status != http::ParseStatus::complete) break;
    out.emplace_back(parser.response().status, std::string(parser.response().body));
    bytes.remove_prefix(result.consumed);
  }
  EXPECT_TRUE(bytes.empty()) << "left over: " << bytes;
  return out;
}

TEST(HttpServer, PipelinedRequestsInOneWriteAreAnsweredInOrder) {
  auto main_task = []() -> Task<std::string> {
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    const std::uint16_t port = listener.local_port();
    auto server = corio::spawn(http::serve(std::move(listener), &corio::testing::test_routes));
    TcpStream stream = co_await TcpStream::connect("127.0.0.1", port);
    co_await stream.write_all(
        std::string_view("GET /delay?ms=5 HTTP/1.1\r\nHost: a\r\n\r\n"
                         "GET /missing HTTP/1.1\r\nHost: a\r\n\r\n"
                         "GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n"
                         "GET /delay?ms=x HTTP/1.1\r\nHost: a\r\n\r\n"
                         "GET /plaintext HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
    std::string reply = co_await read_to_end(stream);
    co_await stop(std::move(server));
    co_return reply;
  };
  const auto responses = parse_responses(corio::run(main_task()));
  const std::vector<std::pair<int, std::string>> expected{
      {200, "OK"},
      {404, "Not Found"},
      {200, "Hello, World!"},
      {400, "Bad Request: /delay needs ms=N, 0 <= N <= 3600000"},
      {200, "Hello, World!"}};
  EXPECT_EQ(responses, expected);
}

TEST(HttpServer, MalformedRequestGets400AndClosesWhileAnotherConnectionIsServed) {
  auto main_task = []() -> Task<void> {
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    const std::uint16_t port = listener.local_port();
    auto server = corio::spawn(http::serve(std::move(listener), &corio::testing::test_routes));
    http::Client good = co_await http::Client::connect("127.0.0.1", port);
    EXPECT_EQ((co_await good.get("/plaintext")).status, 200);
    TcpStream bad = co_await TcpStream::connect("127.0.0.1", port);
    co_await bad.write_all(std::string_view("GET /plaintext HTTP/1.1\r\nHost : a\r\n\r\n"));
    const std::string reply = co_await read_to_end(bad);  // ends: the server closed
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 400 Bad Request\r\n")) << reply;
    EXPECT_NE(reply.find("Connection: close\r\n"), std::string::npos) << reply;
    const http::Client::Result after = co_await good.get("/plaintext");
    EXPECT_EQ(after.status, 200);
    EXPECT_EQ(after.body, "Hello, World!");
    co_await stop(std::move(server));
  };
  corio::run(main_task());
}

TEST(HttpServer, UnsupportedVersionGets505) {
  auto main_task = []() -> Task<std::string> {
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    const std::uint16_t port = listener.local_port();
    auto server = corio::spawn(http::serve(std::move(listener), &corio::testing::test_routes));
    TcpStream stream = co_await TcpStream::connect("127.0.0.1", port);
    co_await stream.write_all(std::string_view("GET / HTTP/2.0\r\nHost: a\r\n\r\n"));
    std::string reply = co_await read_to_end(stream);
    co_await stop(std::move(server));
    co_return reply;
  };
  EXPECT_TRUE(corio::run(main_task()).starts_with("HTTP/1.1 505 "));
}

// The slow request waits on another connection; a later one is answered first.
Task<bool> slow_request(std::uint16_t port, corio::Event* sent, corio::Event* fast_done) {
  http::Client client = co_await http::Client::connect("127.0.0.1", port);
  Task<http::Client::Result> reply = client.get("/delay?ms=100");
  sent->set();  // the task is lazy: the request is sent at the co_await below, before any other
  const http::Client::Result result = co_await std::move(reply);
  EXPECT_EQ(result.status, 200);
  co_return fast_done->is_set();
}

Task<void> fast_request(std::uint16_t port, corio::Event* sent, corio::Event* fast_done) {
  co_await sent->wait();
  co_await corio::yield_now();  // let the slow request reach the server first
  http::Client client = co_await http::Client::connect("127.0.0.1", port);
  EXPECT_EQ((co_await client.get("/plaintext")).status, 200);
  fast_done->set();
}

TEST(HttpServer, DelayAnswersAfterALaterRequestOnAnotherConnection) {
  auto main_task = []() -> Task<bool> {
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    const std::uint16_t port = listener.local_port();
    auto server = corio::spawn(http::serve(std::move(listener), &corio::testing::test_routes));
    corio::Event sent;
    corio::Event fast_done;
    auto slow = corio::spawn(slow_request(port, &sent, &fast_done));
    auto fast = corio::spawn(fast_request(port, &sent, &fast_done));
    const bool fast_first = co_await slow;
    co_await fast;
    co_await stop(std::move(server));
    co_return fast_first;
  };
  EXPECT_TRUE(corio::run(main_task()));
}

TEST(HttpServer, CancellingServeClosesItsConnections) {
  auto main_task = []() -> Task<std::size_t> {
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    const std::uint16_t port = listener.local_port();
    auto server = corio::spawn(http::serve(std::move(listener), &corio::testing::test_routes));
    TcpStream idle = co_await TcpStream::connect("127.0.0.1", port);
    http::Client busy = co_await http::Client::connect("127.0.0.1", port);
    EXPECT_EQ((co_await busy.get("/plaintext")).status, 200);
    co_await stop(std::move(server));
    std::array<char, 16> byte{};
    co_return co_await idle.read(byte);  // 0: the server's side closed
  };
  EXPECT_EQ(corio::run(main_task()), 0U);
}

TEST(HttpServer, SteadyStateKeepAliveRequestsAllocateNothing) {
#if CORIO_SANITIZED
  GTEST_SKIP() << "sanitizers bypass the frame pool, so coroutine frames allocate";
#else
  auto main_task = []() -> Task<long> {
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    const std::uint16_t port = listener.local_port();
    auto server = corio::spawn(http::serve(std::move(listener), &corio::testing::test_routes));
    http::Client client = co_await http::Client::connect("127.0.0.1", port);
    for (int i = 0; i < 100; ++i) co_await client.get("/plaintext");  // warm the frame pool
    const long before = g_allocations.load();
    EXPECT_GT(before, 0) << "the counting operator new is not in use";
    for (int i = 0; i < 1000; ++i) co_await client.get("/plaintext");
    const long during = g_allocations.load() - before;
    co_await stop(std::move(server));
    co_return during;
  };
  // Server and client together, both in this process: 1000 requests, no operator new.
  EXPECT_EQ(corio::run(main_task()), 0);
#endif
}

TEST(Signal, WaitForSignalReturnsTheSignalThatArrived) {
  auto main_task = []() -> Task<int> {
    corio::block_signals({SIGUSR1});
    // Thread-directed, so that no other thread of the test binary (unblocked) can take it.
    ::pthread_kill(::pthread_self(), SIGUSR1);
    co_return co_await corio::wait_for_signal({SIGUSR1, SIGUSR2});
  };
  EXPECT_EQ(corio::run(main_task()), SIGUSR1);
}

}  // namespace
