#include <array>
#include <chrono>
#include <cstring>
#include <dirent.h>
#include <netinet/in.h>
#include <string>
#include <sys/resource.h>
#include <sys/socket.h>
#include <system_error>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include <corio/corio.hpp>
#include <corio/net/tcp.hpp>

#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
using corio::Task;
using corio::net::TcpListener;
using corio::net::TcpStream;

int open_fd_count() {
  int count = 0;
  DIR* dir = ::opendir("/proc/self/fd");
  while (dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  ::closedir(dir);
  return count - 1;  // the DIR itself
}

// Echoes every byte back until the peer shuts down its side.
Task<void> echo_connection(TcpStream stream) {
  std::vector<char> buffer(64 * 1024);
  for (;;) {
    const std::size_t n = co_await stream.read(buffer);
    if (n == 0) break;
    co_await stream.write_all(std::span<const char>(buffer.data(), n));
  }
}

Task<void> echo_server(TcpListener* listener, int connections) {
  corio::TaskGroup group;
  for (int i = 0; i < connections; ++i) group.spawn(echo_connection(co_await listener->accept()));
  co_await group.join();
}

Task<std::string> echo_once(std::uint16_t port, std::string message) {
  TcpStream stream = co_await TcpStream::connect("127.0.0.1", port);
  co_await stream.write_all(message);
  std::string reply(message.size(), '\0');
  co_await stream.read_exact(reply);
  stream.shutdown();
  std::array<char, 1> rest{};
  EXPECT_EQ(co_await stream.read(rest), 0U);  // the server saw end of stream and closed
  co_return reply;
}

TEST(TcpStream, EchoRoundTrip) {
  auto main_task = []() -> Task<std::string> {
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    EXPECT_NE(listener.local_port(), 0);
    auto server = corio::spawn(echo_server(&listener, 1));
    std::string reply = co_await echo_once(listener.local_port(), "hello, corio");
    co_await server;
    co_return reply;
  };
  EXPECT_EQ(corio::run(main_task()), "hello, corio");
}

void raise_fd_limit(rlim_t wanted) {
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_cur < wanted) {
    limit.rlim_cur = std::min(wanted, limit.rlim_max);
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &limit), 0);
  }
}

TEST(TcpStream, ThousandConcurrentConnectionsOnOneLoop) {
  raise_fd_limit(4096);
  auto main_task = []() -> Task<int> {
    constexpr int kConnections = 1000;
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    auto server = corio::spawn(echo_server(&listener, kConnections));
    std::vector<Task<std::string>> clients;
    for (int i = 0; i < kConnections; ++i) {
      clients.push_back(echo_once(listener.local_port(), "client " + std::to_string(i)));
    }
    const auto replies = co_await corio::gather(std::move(clients));
    co_await server;
    int correct = 0;
    for (int i = 0; i < kConnections; ++i) {
      if (replies[static_cast<std::size_t>(i)] == "client " + std::to_string(i)) ++correct;
    }
    co_return correct;
  };
  EXPECT_EQ(corio::run(main_task()), 1000);
}

Task<std::size_t> read_all_and_check(TcpStream stream, std::size_t expected) {
  std::vector<char> buffer(7919);  // a prime: reads never line up with the writer's chunks
  std::size_t total = 0;
  bool intact = true;
  for (;;) {
    const std::size_t n = co_await stream.read(buffer);
    if (n == 0) break;
    for (std::size_t i = 0; i < n; ++i) {
      if (buffer[i] != static_cast<char>((total + i) % 251)) intact = false;
    }
    total += n;
  }
  co_return intact&& total == expected ? total : 0;
}

TEST(TcpStream, SixteenMebibyteWriteAllArrivesIntactAcrossSmallBuffers) {
  auto main_task = []() -> Task<std::size_t> {
    constexpr std::size_t kBytes = 16 << 20;
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    TcpStream client = co_await TcpStream::connect("127.0.0.1", listener.local_port());
    TcpStream server_side = co_await listener.accept();
    // A small send buffer forces hundreds of partial writes and EAGAINs. (A tiny receive
    // buffer too would stall loopback TCP in its persist timer: a kernel matter, not ours.)
    const int small = 64 * 1024;
    ::setsockopt(client.native_handle(), SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    auto reader = corio::spawn(read_all_and_check(std::move(server_side), kBytes));
    std::vector<char> data(kBytes);
    for (std::size_t i = 0; i < kBytes; ++i) data[i] = static_cast<char>(i % 251);
    co_await client.write_all(data);
    client.shutdown();
    co_return co_await reader;
  };
  EXPECT_EQ(corio::run(main_task()), std::size_t{16} << 20);
}

// SO_LINGER with a zero timeout makes close() send a reset instead of a FIN.
void reset_and_close(TcpStream& stream) {
  linger abort_on_close{1, 0};
  ::setsockopt(stream.native_handle(), SOL_SOCKET, SO_LINGER, &abort_on_close,
               sizeof abort_on_close);
  stream.close();
}

TEST(TcpStream, PeerResetMidReadRaisesSystemError) {
  auto main_task = []() -> Task<int> {
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    TcpStream client = co_await TcpStream::connect("127.0.0.1", listener.local_port());
    TcpStream server_side = co_await listener.accept();
    auto read_task = [](TcpStream* stream) -> Task<int> {
      std::array<char, 16> buffer{};
      try {
        co_await stream->read(buffer);
      } catch (const std::system_error& e) {
        co_return e.code().value();
      }
      co_return 0;
    };
    auto reading = corio::spawn(read_task(&client));
    co_await corio::sleep(1ms);  // the client is now waiting in read()
    reset_and_close(server_side);
    co_return co_await reading;
  };
  EXPECT_EQ(corio::run(main_task()), ECONNRESET);
}

TEST(TcpStream, PeerResetMidWriteRaisesSystemErrorNotSigpipe) {
  auto main_task = []() -> Task<int> {
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    TcpStream client = co_await TcpStream::connect("127.0.0.1", listener.local_port());
    TcpStream server_side = co_await listener.accept();
    reset_and_close(server_side);
    co_await corio::sleep(1ms);
    std::vector<char> data(1 << 20, 'x');
    try {
      for (int i = 0; i < 64; ++i) co_await client.write_all(data);
    } catch (const std::system_error& e) {
      co_return e.code().value();
    }
    co_return 0;
  };
  const int error = corio::run(main_task());
  EXPECT_TRUE(error == EPIPE || error == ECONNRESET) << error;
}

TEST(TcpStream, CancellingATaskBlockedInReadFreesItsDescriptor) {
  auto main_task = []() -> Task<int> {
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    const int before = open_fd_count();
    auto blocked = [](std::uint16_t port) -> Task<void> {
      TcpStream stream = co_await TcpStream::connect("127.0.0.1", port);
      std::array<char, 16> buffer{};
      co_await stream.read(buffer);  // nobody writes: waits until cancelled
    };
    auto reader = corio::spawn(blocked(listener.local_port()));
    TcpStream server_side = co_await listener.accept();
    co_await corio::sleep(1ms);
    EXPECT_EQ(open_fd_count(), before + 2);  // the client's socket and the accepted one
    reader.cancel();
    try {
      co_await reader;
    } catch (const corio::CancelledError&) {
    }
    server_side.close();
    co_return open_fd_count() - before;
  };
  EXPECT_EQ(corio::run(main_task()), 0);
}

TEST(TcpStream, WaitReadableReturnsOnceBytesArriveAndConsumesNothing) {
  auto main_task = []() -> Task<std::string> {
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    const std::uint16_t port = listener.local_port();
    TcpStream client = co_await TcpStream::connect("127.0.0.1", port);
    TcpStream server = co_await listener.accept();
    auto waiter = corio::spawn(
        [](TcpStream* stream) -> Task<void> { co_await stream->wait_readable(); }(&server));
    co_await corio::sleep(10ms);
    EXPECT_FALSE(waiter.done()) << "nothing was sent yet";
    co_await client.write_all(std::string_view("abc"));
    co_await waiter;
    std::array<char, 8> bytes{};
    const std::size_t n = co_await server.read(bytes);
    co_return std::string(bytes.data(), n);
  };
  EXPECT_EQ(corio::run(main_task()), "abc");
}

TEST(TcpStream, ConnectToAClosedPortRaisesConnectionRefused) {
  auto main_task = []() -> Task<int> {
    std::uint16_t port = 0;
    {
      TcpListener probe = TcpListener::bind("127.0.0.1", 0);
      port = probe.local_port();
    }  // closed: nothing listens there now
    try {
      co_await TcpStream::connect("127.0.0.1", port);
    } catch (const std::system_error& e) {
      EXPECT_NE(std::string(e.what()).find("connect 127.0.0.1:"), std::string::npos) << e.what();
      co_return e.code().value();
    }
    co_return 0;
  };
  EXPECT_EQ(corio::run(main_task()), ECONNREFUSED);
}

TEST(TcpListener, BindingAPortInUseRaisesAddressInUse) {
  auto main_task = []() -> Task<int> {
    TcpListener first = TcpListener::bind("127.0.0.1", 0);
    try {
      TcpListener second = TcpListener::bind("127.0.0.1", first.local_port());
    } catch (const std::system_error& e) {
      co_return e.code().value();
    }
    co_return 0;
  };
  EXPECT_EQ(corio::run(main_task()), EADDRINUSE);
}

TEST(TcpListener, ReusePortLetsTwoListenersShareAPort) {
  auto main_task = []() -> Task<bool> {
    TcpListener::Options options;
    options.reuse_port = true;
    TcpListener first = TcpListener::bind("127.0.0.1", 0, options);
    TcpListener second = TcpListener::bind("127.0.0.1", first.local_port(), options);
    co_return first.local_port() == second.local_port();
  };
  EXPECT_TRUE(corio::run(main_task()));
}

// Out of descriptors, accept() backs off and keeps the loop serving the connections it has;
// once descriptors are free again it accepts the connection that waited in the backlog.
TEST(TcpListener, AcceptSurvivesDescriptorExhaustionAndRecovers) {
  auto main_task = []() -> Task<std::string> {
    TcpListener listener = TcpListener::bind("127.0.0.1", 0);
    const std::uint16_t port = listener.local_port();
    TcpStream early = co_await TcpStream::connect("127.0.0.1", port);
    auto server = corio::spawn(echo_server(&listener, 2));
    co_await corio::sleep(1ms);  // `early` is accepted and being served
    TcpStream late = co_await TcpStream::connect("127.0.0.1", port);  // waits in the backlog

    // Exhaust descriptors: lower the limit to what is open now, then fill any gaps.
    rlimit saved{};
    ::getrlimit(RLIMIT_NOFILE, &saved);
    rlimit tight = saved;
    tight.rlim_cur = static_cast<rlim_t>(open_fd_count() + 8);
    ::setrlimit(RLIMIT_NOFILE, &tight);
    std::vector<int> filler;
    for (int fd; (fd = ::dup(listener.native_handle())) >= 0;) filler.push_back(fd);
    EXPECT_EQ(errno, EMFILE);

    co_await corio::sleep(20ms);  // accept() meets EMFILE and backs off meanwhile
    co_await early.write_all(std::string_view("still served"));
    std::string reply(12, '\0');
    co_await early.read_exact(reply);  // the loop kept serving the open connection

    for (int fd : filler) ::close(fd);
    ::setrlimit(RLIMIT_NOFILE, &saved);
    co_await late.write_all(std::string_view("recovered"));
    std::string second(9, '\0');
    co_await late.read_exact(second);
    early.shutdown();
    late.shutdown();
    co_await server;
    co_return reply + "/" + second;
  };
  EXPECT_EQ(corio::run(main_task()), "still served/recovered");
}

}  // namespace
