// corio's HTTP server under the faults a server meets in the field, in a child process built
// with the tests' sanitizer (http_test_child.hpp), so that the asan and tsan presets check the
// server's own code through them (bench/tests/server_faults_test.cpp takes every model's
// server, this one included, through the same faults in the release build):
//   - a storm of 2,000 connections reset mid-request and mid-response;
//   - a peer that pipelines requests worth ~100 MB of answers and stops reading: the server
//     stops taking its requests instead of buffering the answers, and answers another client;
//   - the descriptor limit reached (accept fails with EMFILE) and recovered from.
// After each, a normal request must be answered and the server must still run.
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include <corio/detail/sanitizers.hpp>

#include "http_test_child.hpp"

namespace {

using namespace std::chrono_literals;
using corio::testing::connect_blocking;
using corio::testing::kPlaintextRequest;
using corio::testing::request_plaintext;
using corio::testing::TestServerChild;

// Far beyond what the server needs (milliseconds), so that a sanitized build passes, while a
// server that stopped serving fails.
constexpr auto kRecovery = 10s;

// SO_LINGER 0, then close: the kernel sends a reset and drops what is unsent or unread.
void reset(int fd) {
  const linger abort_on_close{.l_onoff = 1, .l_linger = 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
  ::close(fd);
}

// A fresh connection's GET /plaintext answered, retried until `within` passes.
bool answered_within(std::uint16_t port, std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  for (;;) {
    const int fd = connect_blocking(port);
    const timeval timeout{.tv_sec = 1, .tv_usec = 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    const bool answered = request_plaintext(fd);
    ::close(fd);
    if (answered) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
}

bool readable_within(int fd, std::chrono::milliseconds within) {
  pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
  return ::poll(&p, 1, static_cast<int>(within.count())) > 0;
}

std::string repeated(std::string_view text, std::size_t at_least_bytes) {
  std::string bytes;
  while (bytes.size() < at_least_bytes) bytes += text;
  return bytes;
}

// `count` connections, each having sent all of `bytes`.
std::vector<int> connections_that_sent(std::uint16_t port, int count, std::string_view bytes) {
  std::vector<int> fds;
  for (int i = 0; i < count; ++i) {
    fds.push_back(connect_blocking(port));
    EXPECT_EQ(::send(fds.back(), bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()))
        << "connection " << i << ": " << std::strerror(errno);
  }
  return fds;
}

TEST(HttpServerFaults, SurvivesAStormOfResetsMidRequestAndMidResponse) {
  constexpr int kEach = 1000;
  constexpr int kBatch = 50;
  const TestServerChild server;
  ASSERT_TRUE(answered_within(server.port(), kRecovery));
  const std::string_view half = kPlaintextRequest.substr(0, kPlaintextRequest.size() / 2);
  const std::string pipeline = repeated(kPlaintextRequest, std::size_t{16} * 1024);
  for (int done = 0; done < kEach; done += kBatch) {
    for (const int fd : connections_that_sent(server.port(), kBatch, half)) reset(fd);
  }
  for (int done = 0; done < kEach; done += kBatch) {
    // Each reset once its answers have started.
    for (const int fd : connections_that_sent(server.port(), kBatch, pipeline)) {
      ASSERT_TRUE(readable_within(fd, kRecovery)) << "no answer within 10 s";
      reset(fd);
    }
  }
  EXPECT_TRUE(answered_within(server.port(), kRecovery)) << "not answering after 2,000 resets";
  EXPECT_TRUE(server.running()) << "the server ended (a sanitizer report ends it)";
}

TEST(HttpServerFaults, KeepsServingWhileAPeerStopsReading) {
  constexpr std::size_t kAnswerBytes = std::size_t{100} << 20;
  constexpr std::size_t kAnswerSize = 128;  // at most: the reply head and "Hello, World!"
  constexpr std::int64_t kMostGrowth = std::int64_t{48} << 20;
  const TestServerChild server;
  ASSERT_TRUE(answered_within(server.port(), kRecovery));
  const std::int64_t rss_before = corio::testing::vm_rss_bytes(server.pid());
  const int stalled = connect_blocking(server.port());
  ::fcntl(stalled, F_SETFL, ::fcntl(stalled, F_GETFL) | O_NONBLOCK);
  const std::string chunk = repeated(kPlaintextRequest, std::size_t{64} * 1024);
  const std::size_t requests_per_chunk = chunk.size() / kPlaintextRequest.size();
  const std::size_t chunks = kAnswerBytes / (requests_per_chunk * kAnswerSize) + 1;
  // Until ~100 MB of answers are asked for, or the server has taken nothing for 300 ms: it
  // stopped reading because its answers cannot be sent (the backpressure expected).
  std::size_t sent_chunks = 0;
  std::size_t offset = 0;
  while (sent_chunks < chunks) {
    const ssize_t n = ::send(stalled, chunk.data() + offset, chunk.size() - offset, MSG_NOSIGNAL);
    if (n < 0) {
      ASSERT_TRUE(errno == EAGAIN || errno == EWOULDBLOCK) << std::strerror(errno);
      pollfd p{.fd = stalled, .events = POLLOUT, .revents = 0};
      if (::poll(&p, 1, 300) <= 0) break;
      ASSERT_EQ(p.revents & (POLLERR | POLLHUP), 0) << "the server closed the stalled peer";
      continue;
    }
    offset += static_cast<std::size_t>(n);
    if (offset == chunk.size()) {
      offset = 0;
      ++sent_chunks;
    }
  }
  EXPECT_LT(sent_chunks, chunks) << "the server took every request: it buffered the answers";
  ASSERT_TRUE(server.running()) << "the server ended while its answers piled up";
#if !CORIO_SANITIZED  // shadow memory and quarantine are in a sanitized VmRSS
  EXPECT_LE(corio::testing::vm_rss_bytes(server.pid()) - rss_before, kMostGrowth);
#else
  (void)rss_before;
  (void)kMostGrowth;
#endif
  EXPECT_TRUE(answered_within(server.port(), 1000ms))
      << "another client was not answered within 1 s while a peer did not read";
  reset(stalled);
  EXPECT_TRUE(answered_within(server.port(), kRecovery));
  EXPECT_TRUE(server.running()) << "the server ended (a sanitizer report ends it)";
}

// How many descriptors numbered below `below` the process has open (/proc/PID/fd): equal to
// its RLIMIT_NOFILE when the next open fails with EMFILE.
int open_descriptors(pid_t pid, int below = 1 << 30) {
  DIR* dir = ::opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
  if (dir == nullptr) return -1;
  int count = 0;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.' && std::stoi(entry->d_name) < below) ++count;
  }
  ::closedir(dir);
  return count;
}

TEST(HttpServerFaults, RecoversFromItsDescriptorLimit) {
#ifdef CORIO_TESTS_UBSAN_VPTR
  // UBSan checks a virtual call whose type is not in its cache by reading the object through
  // a pipe (sanitizer_common's IsAccessibleMemoryRange); at the descriptor limit pipe() fails,
  // UBSan reports a valid std::error_category as "not an object of its type" and halts the
  // server. The release and tsan builds run this test.
  GTEST_SKIP() << "not under -fsanitize=vptr: UBSan needs descriptors to check a virtual call";
#endif
  constexpr int kSpare = 8;
  constexpr int kHeld = 64;
  const TestServerChild server;
  ASSERT_TRUE(answered_within(server.port(), kRecovery));
  const int open = open_descriptors(server.pid());
  ASSERT_GT(open, 0);
  const rlimit limit{.rlim_cur = static_cast<rlim_t>(open + kSpare),
                     .rlim_max = static_cast<rlim_t>(open + kSpare)};
  ASSERT_EQ(::prlimit(server.pid(), RLIMIT_NOFILE, &limit, nullptr), 0) << std::strerror(errno);
  const std::vector<int> held = connections_that_sent(server.port(), kHeld, kPlaintextRequest);
  std::this_thread::sleep_for(300ms);  // the server accepts until accept fails with EMFILE
  ASSERT_TRUE(server.running()) << "the server ended at its descriptor limit";
  EXPECT_EQ(open_descriptors(server.pid(), open + kSpare), open + kSpare)
      << "the descriptor limit was not reached: the test proves nothing";
  for (const int fd : held) reset(fd);
  EXPECT_TRUE(answered_within(server.port(), kRecovery))
      << "not answering once the connections over the limit closed";
  EXPECT_TRUE(server.running()) << "the server ended (a sanitizer report ends it)";
}

}  // namespace
