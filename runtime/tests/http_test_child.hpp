#pragma once
// corio's HTTP server in a child process of its own (corio_test_http_server,
// http_test_server.cpp), and the blocking client helpers the tests that load it use
// (http_server_memory_test.cpp, http_server_faults_test.cpp):
//
//   TestServerChild      binds 127.0.0.1:0 here (backlog 4,096), execs the server on that
//                        socket with PR_SET_PDEATHSIG; kills and reaps it when destroyed
//   connect_blocking     a blocking client socket connected to 127.0.0.1:port (TCP_NODELAY)
//   request_plaintext    one GET /plaintext on a connection, its whole 200 reply read
//   vm_rss_bytes         VmRSS of a process, from /proc/PID/status
//
// A fresh process, not a fork of the test: a forked child would reuse the heap that earlier
// tests freed, and its memory would depend on what ran before it. Built with the tests'
// sanitizer, so a sanitizer report in the server ends it, which the tests see.
#include <array>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <string_view>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace corio::testing {

inline constexpr std::string_view kPlaintextRequest = "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n";
inline constexpr std::string_view kPlaintextBody = "Hello, World!";

[[noreturn]] inline void fail_errno(const char* what) {
  std::perror(what);
  std::abort();
}

inline int connect_blocking(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail_errno("socket");
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) < 0) {
    fail_errno("connect");
  }
  return fd;
}

// Sends one GET /plaintext and reads until its whole reply (ending in the body) is in.
inline bool request_plaintext(int fd) {
  if (::send(fd, kPlaintextRequest.data(), kPlaintextRequest.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(kPlaintextRequest.size())) {
    return false;
  }
  std::string reply;
  std::array<char, 1024> chunk{};
  while (reply.size() < kPlaintextBody.size() ||
         std::string_view(reply).substr(reply.size() - kPlaintextBody.size()) != kPlaintextBody) {
    const ssize_t n = ::recv(fd, chunk.data(), chunk.size(), 0);
    if (n <= 0) return false;
    reply.append(chunk.data(), static_cast<std::size_t>(n));
  }
  return reply.starts_with("HTTP/1.1 200 ");
}

// VmRSS of `pid` in bytes, from /proc/PID/status (kB there are KiB); -1 when unreadable.
inline std::int64_t vm_rss_bytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) return std::stoll(line.substr(6)) * 1024;
  }
  return -1;
}

class TestServerChild {
 public:
  TestServerChild() {
    const int listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listen_fd < 0 || ::bind(listen_fd, reinterpret_cast<sockaddr*>(&address), length) < 0 ||
        ::listen(listen_fd, 4096) < 0 ||
        ::getsockname(listen_fd, reinterpret_cast<sockaddr*>(&address), &length) < 0) {
      fail_errno("listening socket");
    }
    port_ = ntohs(address.sin_port);
    const std::string fd_text = std::to_string(listen_fd);
    pid_ = ::fork();
    if (pid_ < 0) fail_errno("fork");
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test
      ::fcntl(listen_fd, F_SETFD, 0);      // inherited across exec
      const char* const path = CORIO_TEST_HTTP_SERVER;
      ::execl(path, path, fd_text.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(listen_fd);
  }
  TestServerChild(const TestServerChild&) = delete;
  TestServerChild& operator=(const TestServerChild&) = delete;
  ~TestServerChild() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  // Not ended (a sanitizer report ends it); the child is not reaped here.
  [[nodiscard]] bool running() const {
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == 0;
  }

 private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace corio::testing
