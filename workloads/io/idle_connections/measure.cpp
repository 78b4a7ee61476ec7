// io/idle_connections's benchmark function (see measure.hpp). The client side is plain
// blocking sockets, one connection at a time: what is measured is the server, and a blocking
// connect + request + reply takes about 70 microseconds on loopback (10,000 in under a second).
#include "workloads/io/idle_connections/measure.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>
#include <vector>

#include "harness/fd_limit.hpp"
#include "harness/net/server_process.hpp"

namespace workloads::io::idle_connections {
namespace {

constexpr std::string_view kRequest = "GET /plaintext HTTP/1.1\r\nHost: bench\r\n\r\n";
constexpr std::string_view kBody = "Hello, World!";
// A reply that takes longer is a failure, not a hang of the benchmark.
constexpr int kReplyTimeoutSeconds = 5;

// Owns the client's descriptors; closes them all (the server's connections end with them).
class Descriptors {
 public:
  Descriptors() = default;
  Descriptors(const Descriptors&) = delete;
  Descriptors& operator=(const Descriptors&) = delete;
  ~Descriptors() {
    for (const int fd : fds_) ::close(fd);
  }
  void add(int fd) { fds_.push_back(fd); }

 private:
  std::vector<int> fds_;
};

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// A blocking connection to 127.0.0.1:port with a receive timeout; -1 and `error` set on failure.
int connect_to(std::uint16_t port, std::string& error) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = errno_text("socket");
    return -1;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const timeval timeout{.tv_sec = kReplyTimeoutSeconds, .tv_usec = 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) < 0) {
    error = errno_text("connect");
    ::close(fd);
    return -1;
  }
  return fd;
}

// One GET /plaintext and its whole reply (it ends with the body); "" when answered 200.
std::string request_plaintext(int fd) {
  if (::send(fd, kRequest.data(), kRequest.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(kRequest.size())) {
    return errno_text("send");
  }
  std::string reply;
  std::array<char, 1024> chunk{};
  while (reply.size() < kBody.size() ||
         std::string_view(reply).substr(reply.size() - kBody.size()) != kBody) {
    const ssize_t n = ::recv(fd, chunk.data(), chunk.size(), 0);
    if (n < 0) return errno_text("recv");
    if (n == 0) return "the server closed the connection before its reply ended";
    reply.append(chunk.data(), static_cast<std::size_t>(n));
  }
  if (!reply.starts_with("HTTP/1.1 200 ")) return "not a 200 reply: " + reply.substr(0, 40);
  return "";
}

// VmRSS of `pid` in bytes (/proc/PID/status, whose kB are KiB); 0 when it cannot be read.
std::int64_t vm_rss_bytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) return std::stoll(line.substr(6)) * 1024;
  }
  return 0;
}

double percentile(std::vector<double> values, double percent) {
  if (values.empty()) return 0;
  std::ranges::sort(values);
  const auto rank = static_cast<std::size_t>(percent / 100.0 * static_cast<double>(values.size()));
  return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
}

void hold_idle_and_measure(std::uint16_t port, pid_t server, const Params& params, Result& result) {
  Descriptors open;
  std::string error;
  // One request first: the server's loop and whatever a first request builds exist before the
  // baseline, so the difference is the connections' alone.
  const int warm = connect_to(port, error);
  if (warm < 0) {
    result.first_error = "warm-up: " + error;
    return;
  }
  open.add(warm);
  if (std::string failed = request_plaintext(warm); !failed.empty()) {
    result.first_error = "warm-up: " + failed;
    return;
  }
  result.server_rss_before_bytes = vm_rss_bytes(server);
  for (int i = 0; i < params.connections; ++i) {
    const int fd = connect_to(port, error);
    if (fd < 0) {
      result.first_error = "idle connection " + std::to_string(i) + ": " + error;
      return;
    }
    open.add(fd);
    if (std::string failed = request_plaintext(fd); !failed.empty()) {
      result.first_error = "idle connection " + std::to_string(i) + ": " + failed;
      return;
    }
    ++result.idle_answered;
  }
  // Every reply is in, so the server has handled every request: all N are idle now.
  result.server_rss_idle_bytes = vm_rss_bytes(server);

  std::vector<double> microseconds;
  for (int i = 0; i < params.new_clients; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const int fd = connect_to(port, error);
    if (fd < 0) {
      result.first_error = "new client " + std::to_string(i) + ": " + error;
      return;
    }
    const std::string failed = request_plaintext(fd);
    ::close(fd);
    if (!failed.empty()) {
      result.first_error = "new client " + std::to_string(i) + ": " + failed;
      return;
    }
    microseconds.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
            .count());
    ++result.new_clients_answered;
  }
  result.new_client_p50_us = percentile(microseconds, 50);
  result.new_client_p99_us = percentile(microseconds, 99);
}

}  // namespace

Result measure(std::string_view model, const Params& params) {
  Result result;
  // The server inherits the limit raised here (ServerProcess forks after it).
  const std::int64_t descriptors = std::int64_t{params.connections} + 1 + params.new_clients;
  if (std::string shortfall = harness::descriptor_shortfall(descriptors); !shortfall.empty()) {
    result.first_error = std::move(shortfall);
    return result;
  }
  harness::ServerProcess server = harness::ServerProcess::start_serve(
      "io/http_plaintext", std::string(model),
      common::server_params(model, params.connections + 1 + params.new_clients));
  hold_idle_and_measure(server.port(), server.pid(), params, result);
  try {
    server.stop();
  } catch (const std::runtime_error& died) {
    result.server_error = died.what();
  }
  return result;
}

}  // namespace workloads::io::idle_connections
