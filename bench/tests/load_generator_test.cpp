// run_load against small servers running on threads of the test: closed and open loop, echo
// and HTTP (with a second target), errors counted (by kind) when the server resets
// connections, does not answer, or answers wrong bytes (a stale or corrupted echo, a wrong
// body), BadInput for impossible options, runtime_error when nothing listens. No timing
// assertions: only counts and invariants that hold however slow the machine is.
#include "harness/net/load_generator.hpp"

#include <arpa/inet.h>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <netinet/in.h>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <thread>
#include <typeinfo>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include "harness/bad_input.hpp"
#include "harness/net/server_load_result.hpp"

namespace harness {
namespace {

using namespace std::chrono_literals;

int listen_on_loopback(std::uint16_t& port, int backlog = 128) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  auto* generic = reinterpret_cast<sockaddr*>(&address);
  if (fd < 0 || ::bind(fd, generic, length) != 0 || ::listen(fd, backlog) != 0 ||
      ::getsockname(fd, generic, &length) != 0) {
    ADD_FAILURE() << "cannot listen on 127.0.0.1";
    if (fd >= 0) ::close(fd);
    return -1;
  }
  port = ntohs(address.sin_port);
  return fd;
}

// A thread per connection running `handle(fd)`; stopped (every socket shut down, every thread
// joined) by the destructor.
class ThreadServer {
 public:
  explicit ThreadServer(std::function<void(int)> handle) : handle_(std::move(handle)) {
    listen_fd_ = listen_on_loopback(port_);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~ThreadServer() {
    ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
    acceptor_.join();
    {
      const std::lock_guard lock(mutex_);
      for (const int fd : fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (std::thread& thread : threads_) thread.join();
    for (const int fd : fds_) ::close(fd);
    ::close(listen_fd_);
  }
  ThreadServer(const ThreadServer&) = delete;
  ThreadServer& operator=(const ThreadServer&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] int accepted() const { return accepted_.load(); }

 private:
  void accept_loop() {
    for (;;) {
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      ++accepted_;
      const std::lock_guard lock(mutex_);
      fds_.push_back(fd);
      threads_.emplace_back(handle_, fd);
    }
  }

  std::function<void(int)> handle_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<int> fds_;  // closed by the destructor, after every thread has ended
  std::vector<std::thread> threads_;
  std::atomic<int> accepted_{0};
};

// Echoes until the peer leaves. With `reset_after` > 0, resets the connection (SO_LINGER 0)
// after that many reads.
void echo(int fd, int reset_after = 0) {
  std::array<char, 4096> buffer{};
  for (int reads = 1;; ++reads) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n <= 0) return;
    if (reset_after > 0 && reads > reset_after) {
      const linger abort{.l_onoff = 1, .l_linger = 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
      ::shutdown(fd, SHUT_RDWR);
      return;
    }
    if (::send(fd, buffer.data(), static_cast<std::size_t>(n), MSG_NOSIGNAL) != n) return;
  }
}

// Reads one echo message of `size` bytes into `message`; false when the peer left.
bool read_message(int fd, std::string& message, std::size_t size) {
  message.resize(size);
  for (std::size_t got = 0; got < size;) {
    const ssize_t n = ::read(fd, message.data() + got, size - got);
    if (n <= 0) return false;
    got += static_cast<std::size_t>(n);
  }
  return true;
}

bool send_all(int fd, std::string_view bytes) {
  return ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

// A wrong echo server for `size`-byte messages: answers every message after the connection's
// first with that first message again (a stale answer: right length, right kind of bytes).
void echo_first_message_again(int fd, std::size_t size) {
  std::string first;
  std::string message;
  if (!read_message(fd, first, size) || !send_all(fd, first)) return;
  while (read_message(fd, message, size)) {
    if (!send_all(fd, first)) return;
  }
}

// A wrong echo server: every third message comes back with one byte changed.
void echo_corrupting_every_third(int fd, std::size_t size) {
  std::string message;
  for (int count = 1; read_message(fd, message, size); ++count) {
    if (count % 3 == 0) message[size / 2] = static_cast<char>(message[size / 2] ^ 0x20);
    if (!send_all(fd, message)) return;
  }
}

// Answers every GET: /plaintext and /slow with 200 (different bodies), anything else 404.
// With `wrong_plaintext`, /plaintext's body is `wrong_plaintext` instead of "Hello, World!".
void http(int fd, std::string_view wrong_plaintext = {}) {
  std::string pending;
  std::array<char, 4096> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n <= 0) return;
    pending.append(buffer.data(), static_cast<std::size_t>(n));
    for (auto end = pending.find("\r\n\r\n"); end != std::string::npos;
         end = pending.find("\r\n\r\n")) {
      const std::string head = pending.substr(0, end);
      pending.erase(0, end + 4);
      std::string reply;
      if (head.starts_with("GET /plaintext ") && !wrong_plaintext.empty()) {
        reply = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(wrong_plaintext.size()) +
                "\r\n\r\n" + std::string(wrong_plaintext);
      } else if (head.starts_with("GET /plaintext ")) {
        reply = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello, World!";
      } else if (head.starts_with("GET /slow ")) {
        reply = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nslow";
      } else {
        reply = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
      }
      if (::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL) !=
          static_cast<ssize_t>(reply.size())) {
        return;
      }
    }
  }
}

LoadOptions quick_options(std::uint16_t port) {
  LoadOptions options;
  options.port = port;
  options.connections = 4;
  options.warmup = 20ms;
  options.duration = 200ms;
  return options;
}

TEST(LoadGenerator, ClosedLoopEchoCompletesRequestsWithoutErrors) {
  ThreadServer server([](int fd) { echo(fd); });
  LoadOptions options = quick_options(server.port());
  options.message_bytes = 100;
  const LoadReport report = run_load(options);
  EXPECT_GT(report.completed, 0);
  EXPECT_EQ(report.errors, 0) << report.first_error;
  EXPECT_TRUE(report.first_error.empty());
  EXPECT_EQ(report.latency.count(), report.completed);
  EXPECT_EQ(report.second_latency.count(), 0);
  EXPECT_EQ(report.elapsed, options.duration);
  EXPECT_GT(report.requests_per_second(), 0.0);
  EXPECT_EQ(server.accepted(), options.connections);
}

TEST(LoadGenerator, EchoesMessagesLargerThanTheSocketBuffers) {
  ThreadServer server([](int fd) { echo(fd); });
  LoadOptions options = quick_options(server.port());
  options.connections = 2;
  options.message_bytes = 8 << 20;  // written and read back in many pieces, concurrently
  options.max_requests = 3;
  options.duration = 60s;  // max_requests ends it
  const LoadReport report = run_load(options);
  EXPECT_EQ(report.completed, 3);
  EXPECT_EQ(report.errors, 0) << report.first_error;
  EXPECT_LT(report.elapsed, options.duration);
}

TEST(LoadGenerator, StopsAtMaxRequests) {
  ThreadServer server([](int fd) { echo(fd); });
  LoadOptions options = quick_options(server.port());
  options.max_requests = 50;
  options.duration = 60s;
  const LoadReport report = run_load(options);
  EXPECT_EQ(report.completed, 50);
  EXPECT_EQ(report.latency.count(), 50);
}

TEST(LoadGenerator, OpenLoopSendsNoMoreThanItsSchedule) {
  ThreadServer server([](int fd) { echo(fd); });
  LoadOptions options = quick_options(server.port());
  options.rate_per_second = 2000;
  const LoadReport report = run_load(options);
  EXPECT_GT(report.completed, 0);
  EXPECT_EQ(report.errors, 0) << report.first_error;
  // Requests are due at 2000/s from the start of the warm-up: no more can have been answered.
  const double scheduled = options.rate_per_second *
                           std::chrono::duration<double>(options.warmup + options.duration).count();
  EXPECT_LE(static_cast<double>(report.completed), scheduled + 1);
}

TEST(LoadGenerator, OpenLoopCountsQueueingInTheGenerator) {
  // One connection to a server that takes >= 5 ms per answer, asked for 1000 requests/s: the
  // requests queue in the generator, and their latency, counted from when each was due, must
  // grow past the server's own 5 ms.
  ThreadServer server([](int fd) {
    std::array<char, 256> buffer{};
    for (;;) {
      const ssize_t n = ::read(fd, buffer.data(), buffer.size());
      if (n <= 0) return;
      std::this_thread::sleep_for(5ms);
      if (::send(fd, buffer.data(), static_cast<std::size_t>(n), MSG_NOSIGNAL) != n) return;
    }
  });
  LoadOptions options = quick_options(server.port());
  options.connections = 1;
  options.message_bytes = 8;
  options.rate_per_second = 1000;
  options.warmup = 0ms;
  const LoadReport report = run_load(options);
  ASSERT_GT(report.completed, 2);
  // At most one answer per 5 ms: after n answers the n-th request (due at n ms) waited
  // >= 4n ms; the slowest answer is the last, well over 10 ms.
  EXPECT_GT(report.latency.max_ns(), 2 * 5'000'000);
}

TEST(LoadGenerator, CountsResetsAsErrorsAndKeepsGoing) {
  ThreadServer server([](int fd) { echo(fd, 5); });
  LoadOptions options = quick_options(server.port());
  const LoadReport report = run_load(options);
  EXPECT_GT(report.completed, 0);
  EXPECT_GT(report.errors, 0);
  EXPECT_FALSE(report.first_error.empty());
  EXPECT_GT(server.accepted(), options.connections);  // connections were re-opened
}

TEST(LoadGenerator, CountsUnansweredRequestsAsTimeouts) {
  std::uint16_t port = 0;
  const int silent = listen_on_loopback(port);  // accepts nothing: connects, never answers
  LoadOptions options = quick_options(port);
  options.connections = 2;
  options.request_timeout = 30ms;
  const LoadReport report = run_load(options);
  EXPECT_EQ(report.completed, 0);
  EXPECT_GT(report.errors, 0);
  EXPECT_EQ(report.errors_of(LoadError::timeout), report.errors) << report.errors_summary();
  EXPECT_NE(report.first_error.find("no answer within"), std::string::npos) << report.first_error;
  ::close(silent);
}

TEST(LoadGenerator, AnEchoWithAnotherRequestsBytesIsAWrongAnswer) {
  // Every request's message differs from the previous one's on its connection: a server that
  // answers with the connection's first message again is caught, not only a corrupted echo.
  ThreadServer server([](int fd) { echo_first_message_again(fd, 64); });
  LoadOptions options = quick_options(server.port());
  options.message_bytes = 64;
  const LoadReport report = run_load(options);
  EXPECT_GT(report.errors, 0);
  EXPECT_EQ(report.errors_of(LoadError::wrong_answer), report.errors) << report.errors_summary();
  EXPECT_TRUE(
      report.first_error.starts_with("wrong answer: the echo differs from the message "
                                     "sent at byte "))
      << report.first_error;
  // Each connection's first answer is right, then it fails and is re-opened: one right answer
  // per wrong one at most.
  EXPECT_LE(report.completed, report.errors + options.connections);
}

TEST(LoadGenerator, ACorruptedEchoIsAWrongAnswer) {
  ThreadServer server([](int fd) { echo_corrupting_every_third(fd, 100); });
  LoadOptions options = quick_options(server.port());
  options.message_bytes = 100;
  const LoadReport report = run_load(options);
  EXPECT_GT(report.completed, 0);
  EXPECT_GT(report.errors, 0);
  EXPECT_EQ(report.errors_of(LoadError::wrong_answer), report.errors) << report.errors_summary();
  EXPECT_NE(report.first_error.find("at byte 50 of 100"), std::string::npos) << report.first_error;
  EXPECT_EQ(report.errors_summary(), std::to_string(report.errors) + " wrong answer");
}

TEST(LoadGenerator, HttpChecksThePlaintextBodyByDefault) {
  for (const std::string_view wrong : {"Hello, World?", "Hello", "Hello, World!!"}) {
    SCOPED_TRACE(wrong);
    ThreadServer server([wrong](int fd) { http(fd, wrong); });
    LoadOptions options = quick_options(server.port());
    options.protocol = LoadProtocol::http_get;
    const LoadReport report = run_load(options);
    EXPECT_EQ(report.completed, 0);
    EXPECT_GT(report.errors, 0);
    EXPECT_EQ(report.errors_of(LoadError::wrong_answer), report.errors) << report.errors_summary();
    EXPECT_TRUE(report.first_error.starts_with("wrong answer: body '" + std::string(wrong) + "'"))
        << report.first_error;
    EXPECT_TRUE(report.first_error.ends_with(" for GET /plaintext")) << report.first_error;
  }
}

TEST(LoadGenerator, HttpChecksTheBodyEachTargetIsGiven) {
  ThreadServer server([](int fd) { http(fd); });
  LoadOptions options = quick_options(server.port());
  options.protocol = LoadProtocol::http_get;
  options.second_target = "/slow";
  options.second_every = 2;
  options.second_expected_body = ExpectedBody::exactly("fast");  // the server says "slow"
  const LoadReport report = run_load(options);
  EXPECT_GT(report.completed, 0);  // /plaintext's answers are right
  EXPECT_EQ(report.second_latency.count(), 0);
  EXPECT_GT(report.errors_of(LoadError::wrong_answer), 0);
  EXPECT_EQ(report.errors_of(LoadError::wrong_answer), report.errors) << report.errors_summary();
  EXPECT_NE(report.first_error.find("for GET /slow"), std::string::npos) << report.first_error;

  options.expected_body = ExpectedBody::starting_with("Hello");
  options.second_expected_body = ExpectedBody::starting_with("sl");
  const LoadReport right = run_load(options);
  EXPECT_GT(right.completed, 0);
  EXPECT_EQ(right.errors, 0) << right.first_error;
}

TEST(LoadGenerator, HttpGetsTheTargetAndEveryNthTheSecondTarget) {
  ThreadServer server([](int fd) { http(fd); });
  LoadOptions options = quick_options(server.port());
  options.protocol = LoadProtocol::http_get;
  options.second_target = "/slow";
  options.second_every = 4;
  options.second_expected_body = ExpectedBody::exactly("slow");
  options.max_requests = 400;
  options.duration = 60s;
  const LoadReport report = run_load(options);
  EXPECT_EQ(report.errors, 0) << report.first_error;
  EXPECT_EQ(report.completed, 400);
  EXPECT_EQ(report.latency.count() + report.second_latency.count(), report.completed);
  // Every 4th request sent goes to /slow; the recorded ones are a window of that sequence.
  EXPECT_GE(report.second_latency.count(), 400 / 4 - options.connections - 1);
  EXPECT_LE(report.second_latency.count(), 400 / 4 + options.connections + 1);
}

TEST(LoadGenerator, CountsAStatusOtherThan200AsAnError) {
  ThreadServer server([](int fd) { http(fd); });
  LoadOptions options = quick_options(server.port());
  options.protocol = LoadProtocol::http_get;
  options.target = "/missing";
  const LoadReport report = run_load(options);
  EXPECT_EQ(report.completed, 0);
  EXPECT_GT(report.errors, 0);
  EXPECT_EQ(report.errors_of(LoadError::status), report.errors) << report.errors_summary();
  EXPECT_NE(report.first_error.find("status 404"), std::string::npos) << report.first_error;
}

TEST(LoadGenerator, RefusesImpossibleOptionsBeforeAnyWork) {
  const auto refused = [](void (*change)(LoadOptions&)) {
    LoadOptions options;
    options.port = 9;  // never connected to: the options are checked first
    change(options);
    try {
      run_load(options);
    } catch (const BadInput& e) {
      return std::string(e.what()).starts_with("corio-bench: ");
    } catch (const std::exception& e) {
      ADD_FAILURE() << "not BadInput: " << e.what();
    }
    return false;
  };
  EXPECT_TRUE(refused([](LoadOptions& o) { o.connections = 0; }));
  EXPECT_TRUE(refused([](LoadOptions& o) { o.duration = 0s; }));
  EXPECT_TRUE(refused([](LoadOptions& o) { o.warmup = -1s; }));
  EXPECT_TRUE(refused([](LoadOptions& o) { o.rate_per_second = -1; }));
  EXPECT_TRUE(refused([](LoadOptions& o) { o.request_timeout = 0s; }));
  EXPECT_TRUE(refused([](LoadOptions& o) { o.message_bytes = 0; }));
  EXPECT_TRUE(refused([](LoadOptions& o) { o.port = 0; }));
  EXPECT_TRUE(refused([](LoadOptions& o) { o.second_target = "/x"; }));  // echo has none
  EXPECT_TRUE(refused([](LoadOptions& o) {
    o.protocol = LoadProtocol::http_get;
    o.second_target = "/x";
    o.second_every = 1;
  }));
  EXPECT_TRUE(refused([](LoadOptions& o) {
    o.protocol = LoadProtocol::http_get;
    o.target = "no-slash";
  }));
  // An echo must be the bytes sent: no expected body.
  EXPECT_TRUE(refused([](LoadOptions& o) { o.expected_body = ExpectedBody::exactly("x"); }));
  EXPECT_TRUE(refused([](LoadOptions& o) {
    o.protocol = LoadProtocol::http_get;
    o.second_expected_body = ExpectedBody::exactly("x");  // without a second target
  }));
}

TEST(LoadGenerator, DefaultExpectedBodies) {
  EXPECT_EQ(default_expected_body("/plaintext").bytes, "Hello, World!");
  EXPECT_FALSE(default_expected_body("/plaintext").prefix_only);
  EXPECT_FALSE(default_expected_body("/cheap").compares());
}

TEST(LoadGenerator, AServerLoadResultSaysWhatKindOfErrorsFailedIt) {
  LoadReport report;
  report.completed = 10;
  report.errors = 3;
  report.errors_by_kind[static_cast<std::size_t>(LoadError::wrong_answer)] = 2;
  report.errors_by_kind[static_cast<std::size_t>(LoadError::timeout)] = 1;
  report.first_error = "wrong answer: body 'x' (1 bytes) differs from the expected 'y' (1 bytes)";
  EXPECT_EQ(report.errors_summary(), "1 timeout, 2 wrong answer");
  ServerLoadResult result;
  result.record_load(report);
  EXPECT_EQ(result.failure(),
            "3 requests failed (1 timeout, 2 wrong answer; first: " + report.first_error + ")");
}

TEST(LoadGenerator, ThrowsWhenNoConnectionCanBeMade) {
  std::uint16_t port = 0;
  ::close(listen_on_loopback(port));  // a port nothing listens on
  LoadOptions options = quick_options(port);
  try {
    run_load(options);
    ADD_FAILURE() << "run_load returned";
  } catch (const BadInput& e) {
    ADD_FAILURE() << "BadInput: " << e.what();
  } catch (const std::runtime_error& e) {
    const std::string text = e.what();
    EXPECT_NE(text.find("127.0.0.1:" + std::to_string(port)), std::string::npos) << text;
    EXPECT_NE(text.find("refused"), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace harness
