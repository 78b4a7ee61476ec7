// processes: a process per task, the way a Unix program waits on N independent things with
// processes (inetd, a forking server): fork() a child per task; the child sleeps D and
// reports its id over a pipe; the parent reads the reports until every child has closed its
// end, then reaps each child with waitpid. A pre-forked pool of P workers
// (multiprocessing.Pool) would make the waits queue behind each other, ceil(N / P)·D, as the
// thread_pool model shows for threads; a process per wait lets all N overlap, which is what
// processes are for here.
//
// The forking is done by a fork server (fork_server.hpp: Python's "forkserver" start
// method), a small single-threaded `corio-bench serve` child reached over loopback TCP, one
// request and one reply per call. Forked from the benchmark process itself, each child would
// copy the page tables of everything earlier models left resident, and the figure would
// measure the suite's history instead of processes. The server is started by the workload's
// untimed setup() before the first run that needs it (start_fork_server), so that its start
// (one exec, tens of ms) is in no timed call, and kept for every call; if it could not start, the
// first call tries again and reports why.
//
// bytes_per_task = the server's RSS growth / N + the mean private memory (private resident
// pages + page tables) the first few children measured of themselves.

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <system_error>
#include <unistd.h>

#include "harness/net/server_process.hpp"
#include "workloads/io/sleep_fanout/fork_server.hpp"
#include "workloads/io/sleep_fanout/params.hpp"

namespace workloads::io::sleep_fanout {
namespace {

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// The running fork server and this process's connection to it.
class ForkServerConnection {
 public:
  ForkServerConnection()
      : server_(harness::ServerProcess::start_serve(std::string(Workload::name), "processes", {})) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw_errno("fork server: socket");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(server_.port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
      const int error = errno;
      ::close(fd_);
      throw std::system_error(error, std::generic_category(), "fork server: connect");
    }
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ForkServerConnection(const ForkServerConnection&) = delete;
  ForkServerConnection& operator=(const ForkServerConnection&) = delete;
  ~ForkServerConnection() { ::close(fd_); }  // then ~ServerProcess stops and reaps the server

  // Sends the request and waits for the reply, at most `timeout`.
  ForkReply run(const ForkRequest& request, std::chrono::milliseconds timeout) {
    send_all(&request, sizeof request);
    ForkReply reply;
    receive_all(&reply, sizeof reply, timeout);
    return reply;
  }

  // Why the server is gone (its exit status and stderr), once a send or receive failed.
  std::string stop_and_describe() {
    try {
      server_.stop();
      return "the fork server stopped answering";
    } catch (const std::exception& e) {
      return e.what();  // "server died: ... (killed by signal 9 ...)"
    }
  }

 private:
  void send_all(const void* data, std::size_t size) {
    const auto* bytes = static_cast<const char*>(data);
    for (std::size_t done = 0; done < size;) {
      const ssize_t n = ::send(fd_, bytes + done, size - done, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw_errno("fork server: send");
      done += static_cast<std::size_t>(n);
    }
  }

  void receive_all(void* data, std::size_t size, std::chrono::milliseconds timeout) {
    auto* bytes = static_cast<char*>(data);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (std::size_t done = 0; done < size;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd ready{fd_, POLLIN, 0};
      const int polled =
          ::poll(&ready, 1, static_cast<int>(std::max<std::int64_t>(0, left.count())));
      if (polled < 0 && errno == EINTR) continue;
      if (polled < 0) throw_errno("fork server: poll");
      if (polled == 0) {
        throw std::runtime_error("the fork server did not answer within " +
                                 std::to_string(timeout.count()) + " ms");
      }
      const ssize_t n = ::recv(fd_, bytes + done, size - done, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw_errno("fork server: recv");
      if (n == 0) throw std::runtime_error("the fork server closed the connection");
      done += static_cast<std::size_t>(n);
    }
  }

  harness::ServerProcess server_;
  int fd_ = -1;
};

// One server for the whole process, started at registration or by the first call after a
// failure; a failed exchange drops it (the next call starts a new one). Destroyed at exit,
// which stops and reaps the server.
std::mutex connection_mutex;
std::unique_ptr<ForkServerConnection> connection;

}  // namespace

void start_fork_server() noexcept {
  const std::lock_guard lock(connection_mutex);
  try {
    if (!connection) connection = std::make_unique<ForkServerConnection>();
  } catch (...) {  // NOLINT(bugprone-empty-catch): the first call retries and reports it
  }
}

Result processes(const Params& params) {
  const auto start = std::chrono::steady_clock::now();
  Result result;

  const std::lock_guard lock(connection_mutex);
  if (!connection) connection = std::make_unique<ForkServerConnection>();  // throws: run fails
  const ForkRequest request{.tasks = params.tasks,
                            .delay_ns = std::chrono::nanoseconds(params.delay).count()};
  // Far beyond any healthy run (1,000 children of 10 ms take well under a second even when
  // forking is slow): only a stuck server gets here.
  const auto timeout = std::chrono::milliseconds(30'000) + params.tasks * params.delay * 10;
  ForkReply reply;
  try {
    reply =
        connection->run(request, std::chrono::duration_cast<std::chrono::milliseconds>(timeout));
  } catch (const std::exception& e) {
    result.error = std::string(e.what()) + ": " + connection->stop_and_describe();
    connection.reset();
    result.elapsed = std::chrono::steady_clock::now() - start;
    return result;
  }
  result.elapsed = std::chrono::steady_clock::now() - start;

  result.error = reply.error;
  result.completed = reply.completed;
  result.completed_id_sum = reply.completed_id_sum;
  if (reply.sampled > 0 && params.tasks > 0) {
    result.memory_bytes =
        reply.server_growth_bytes + reply.sampled_bytes * params.tasks / reply.sampled;
  }
  return result;
}

}  // namespace workloads::io::sleep_fanout
