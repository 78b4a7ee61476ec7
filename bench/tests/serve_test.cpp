// corio-bench serve end to end: started as a child process, it answers HTTP on the port it is
// given and ends on SIGTERM; a port in use is refused with status 2, even when its holder set
// SO_REUSEPORT. Plus parse_serve_args.
#include "bench/serve.hpp"

#include <arpa/inet.h>
#include <chrono>
#include <cstdint>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

extern char** environ;

namespace bench {
namespace {

// A listening socket on 127.0.0.1 with a kernel-chosen port; -1 on failure. With
// `reuse_port`, SO_REUSEPORT is set, as another corio-bench serve would have it.
int listen_on_free_port(std::uint16_t& port, bool reuse_port = false) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  auto* generic = reinterpret_cast<sockaddr*>(&address);
  const int one = 1;
  if (reuse_port) ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  if (fd < 0 || ::bind(fd, generic, length) < 0 || ::listen(fd, 1) < 0 ||
      ::getsockname(fd, generic, &length) < 0) {
    if (fd >= 0) ::close(fd);
    return -1;
  }
  port = ntohs(address.sin_port);
  return fd;
}

// A port that was free a moment ago: bound, then closed (SO_REUSEADDR lets the child take it).
std::uint16_t free_port() {
  std::uint16_t port = 0;
  const int fd = listen_on_free_port(port);
  if (fd >= 0) ::close(fd);
  return port;
}

struct Child {
  pid_t pid = -1;
  int out = -1;  // its stdout
  int err = -1;  // its stderr
};

Child start(const std::vector<std::string>& args) {
  int out[2];
  int err[2];
  if (::pipe2(out, O_CLOEXEC) < 0 || ::pipe2(err, O_CLOEXEC) < 0) return {};
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  std::vector<std::string> storage{CORIO_BENCH_EXE};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  Child child;
  if (::posix_spawn(&child.pid, CORIO_BENCH_EXE, &actions, nullptr, argv.data(), environ) != 0) {
    child.pid = -1;
  }
  ::posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  ::close(err[1]);
  child.out = out[0];
  child.err = err[0];
  return child;
}

// Reads from fd until a newline or end of file, or 20 s pass.
std::string read_line(int fd) {
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 1000) <= 0) continue;
    char chunk[256];
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) break;
    line.append(chunk, static_cast<std::size_t>(n));
  }
  return line;
}

int wait_exit(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// One blocking HTTP/1.1 request with Connection: close; returns everything the server sent.
std::string http_get(std::uint16_t port, const std::string& target) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  std::string reply;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    const std::string request =
        "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      char chunk[1024];
      for (ssize_t n = 0; (n = ::read(fd, chunk, sizeof chunk)) > 0;) {
        reply.append(chunk, static_cast<std::size_t>(n));
      }
    }
  }
  ::close(fd);
  return reply;
}

TEST(Serve, AnswersHttpAndEndsOnSigterm) {
  const std::uint16_t port = free_port();
  ASSERT_NE(port, 0);
  const std::string listen = "127.0.0.1:" + std::to_string(port);
  Child child = start({"serve", "http_plaintext", "--model", "corio", "--listen", listen});
  ASSERT_GT(child.pid, 0);
  const std::string line = read_line(child.out);
  EXPECT_EQ(line, "corio-bench: serving io/http_plaintext (corio) on " + listen + "\n");
  const std::string reply = http_get(port, "/plaintext");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200 OK\r\n")) << reply;
  EXPECT_TRUE(reply.ends_with("\r\n\r\nHello, World!")) << reply;
  EXPECT_TRUE(http_get(port, "/nowhere").starts_with("HTTP/1.1 404 ")) << reply;
  ASSERT_EQ(::kill(child.pid, SIGTERM), 0);
  const int status = wait_exit(child.pid);  // SIGTERM's default action, or a handler's exit 0
  EXPECT_TRUE(status == 0 || status == 128 + SIGTERM) << status << ": " << read_line(child.err);
  ::close(child.out);
  ::close(child.err);
}

TEST(Serve, RefusesAPortInUseWithStatusTwoAndOneLine) {
  for (const bool holder_reuses_port : {false, true}) {
    SCOPED_TRACE(holder_reuses_port ? "holder with SO_REUSEPORT" : "plain holder");
    std::uint16_t port = 0;
    const int holder = listen_on_free_port(port, holder_reuses_port);
    ASSERT_GE(holder, 0);
    Child child =
        start({"serve", "http_plaintext", "--listen", "127.0.0.1:" + std::to_string(port)});
    ASSERT_GT(child.pid, 0);
    EXPECT_EQ(wait_exit(child.pid), 2);
    const std::string err = read_line(child.err);
    EXPECT_TRUE(err.starts_with("corio-bench: serve: cannot listen on 127.0.0.1:")) << err;
    EXPECT_EQ(err.find('\n'), err.size() - 1) << err;
    EXPECT_EQ(read_line(child.out), "");
    ::close(holder);
    ::close(child.out);
    ::close(child.err);
  }
}

TEST(Serve, ParsesWorkloadModelListenAddressAndParameters) {
  const ServeParse parsed =
      parse_serve_args({"http_plaintext", "--model=asio", "--listen", "[::1]:8080", "--param",
                        "threads=2", "--param=variant=a=b"});
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  EXPECT_EQ(parsed.options.workload, "http_plaintext");
  EXPECT_EQ(parsed.options.model, "asio");
  EXPECT_EQ(parsed.options.host, "::1");
  EXPECT_EQ(parsed.options.port, 8080);
  ASSERT_EQ(parsed.options.params.size(), 2U);
  EXPECT_EQ(parsed.options.params[0], (std::pair<std::string, std::string>{"threads", "2"}));
  EXPECT_EQ(parsed.options.params[1], (std::pair<std::string, std::string>{"variant", "a=b"}));
}

TEST(Serve, ModelDefaultsToCorio) {
  EXPECT_EQ(parse_serve_args({"tcp_echo", "--listen", "127.0.0.1:0"}).options.model, "corio");
}

TEST(Serve, RefusesMalformedCommandLines) {
  for (const char* bad : {"127.0.0.1", "127.0.0.1:", ":80", "127.0.0.1:65536", "h:8x"}) {
    EXPECT_FALSE(parse_serve_args({"http_plaintext", "--listen", bad}).ok()) << bad;
  }
  EXPECT_FALSE(parse_serve_args({"http_plaintext"}).ok());
  EXPECT_FALSE(parse_serve_args({"--listen", "127.0.0.1:0"}).ok());
  EXPECT_FALSE(parse_serve_args({"http_plaintext", "--listen"}).ok());
  EXPECT_FALSE(parse_serve_args({"http_plaintext", "--port", "1"}).ok());
  EXPECT_FALSE(parse_serve_args({"a", "b", "--listen", "127.0.0.1:0"}).ok());
  for (const char* bad : {"novalue", "=1"}) {
    EXPECT_FALSE(parse_serve_args({"tcp_echo", "--listen", "127.0.0.1:0", "--param", bad}).ok())
        << bad;
  }
  EXPECT_TRUE(parse_serve_args({"tcp_echo", "--help"}).options.help);
}

}  // namespace
}  // namespace bench
