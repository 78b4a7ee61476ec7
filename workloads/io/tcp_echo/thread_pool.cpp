// thread_pool: a fixed pool of N blocking workers (default: hardware_concurrency; `--param
// threads=N`) behind one epoll thread: the half-sync/half-async pattern (Schmidt's POSA2;
// the shape of Tomcat's NIO connector and of most pool-based servers). A pool that blocked a
// worker per connection could serve only N keep-alive connections at a time and starve the
// rest; so idle connections wait in epoll, not in a worker. The async half (this thread)
// accepts and waits on every connection with EPOLLONESHOT; when one is readable it queues the
// socket for the pool. The sync half (a worker) reads what has arrived, writes it back with
// blocking sends, and re-arms the socket in epoll. ONESHOT guarantees that one worker at a
// time owns a connection, so its bytes are echoed in order. The price is a hand-off (a
// mutex, a condition-variable wake) and an epoll_ctl per request, on top of the blocking calls.

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <fcntl.h>
#include <span>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <vector>

#include "harness/fd_limit.hpp"
#include "workloads/common/server_ready_queue.hpp"
#include "workloads/io/tcp_echo/blocking_socket.hpp"
#include "workloads/io/tcp_echo/params.hpp"
#include "workloads/io/tcp_echo/servers.hpp"

namespace workloads::io::tcp_echo {
namespace {

constexpr std::uint32_t kConnectionEvents = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;

// Readable connections waiting for a worker, first come first served.
using ReadyQueue = common::ReadyQueue<int>;

void check(int status, const char* what) {
  if (status < 0) throw std::system_error(errno, std::generic_category(), what);
}

// The sync half: echoes one burst of a connection, then hands it back to epoll.
[[noreturn]] void worker(ReadyQueue* queue, int epoll_fd) {
  std::array<char, kEchoBufferBytes> buffer;  // NOLINT(cppcoreguidelines-pro-type-member-init)
  for (;;) {
    const int fd = queue->pop();
    // epoll said readable and this worker alone owns fd until it re-arms it: the read does
    // not block (MSG_DONTWAIT only guards against a spurious wake-up).
    ssize_t received = 0;
    do {
      // pop() has released the queue's lock; clang-analyzer counts std::mutex::lock as two
      // entries into the critical section and unique_lock's unlock as one exit.
      // NOLINTNEXTLINE(clang-analyzer-unix.BlockInCriticalSection)
      received = ::recv(fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
    } while (received < 0 && errno == EINTR);
    bool alive = false;  // 0 is end of stream; an error other than EAGAIN ends it too
    if (received > 0) {
      alive = send_all(fd, std::span(buffer.data(), static_cast<std::size_t>(received)));
    } else if (received < 0) {
      alive = errno == EAGAIN || errno == EWOULDBLOCK;
    }
    epoll_event event{.events = kConnectionEvents, .data = {.fd = fd}};
    if (!alive || ::epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fd, &event) != 0) {
      ::close(fd);  // end of stream or an error; closing also removes it from epoll
    }
  }
}

// The async half: accepts, and queues every readable connection for the pool.
[[noreturn]] void dispatch(int listen_fd, int epoll_fd, ReadyQueue& queue) {
  std::array<epoll_event, 256> events{};
  std::vector<int> ready;
  ready.reserve(events.size());
  for (;;) {
    const int count = ::epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()), -1);
    if (count < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "tcp_echo thread_pool: epoll_wait");
    }
    ready.clear();
    for (int i = 0; i < count; ++i) {
      const int fd = events[static_cast<std::size_t>(i)].data.fd;
      if (fd != listen_fd) {
        ready.push_back(fd);
        continue;
      }
      // Level-triggered listener: take what is queued now; the rest wakes epoll again.
      for (;;) {
        const int connection = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (connection >= 0) {
          set_no_delay(connection);
          epoll_event event{.events = kConnectionEvents, .data = {.fd = connection}};
          if (::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, connection, &event) != 0) ::close(connection);
          continue;
        }
        if (errno == EINTR || errno == ECONNABORTED) continue;
        // Out of descriptors the listener stays readable: pause briefly rather than spin.
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        break;  // EAGAIN: nothing more queued
      }
    }
    if (!ready.empty()) queue.push(ready);
  }
}

}  // namespace

void serve_thread_pool(harness::ServerContext& context) {
  const auto cores = static_cast<std::int64_t>(std::max(1U, std::thread::hardware_concurrency()));
  const auto workers = context.int_param("threads", cores, 1, 4096);
  harness::raise_descriptor_limit();

  // The listener is non-blocking so that accepting until EAGAIN cannot block; accepted
  // sockets are blocking (accept4 without SOCK_NONBLOCK) for the workers' sends.
  const int flags = ::fcntl(context.listen_fd, F_GETFL);
  check(flags, "tcp_echo thread_pool: fcntl");
  check(::fcntl(context.listen_fd, F_SETFL, flags | O_NONBLOCK), "tcp_echo thread_pool: fcntl");
  const int epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  check(epoll_fd, "tcp_echo thread_pool: epoll_create1");
  epoll_event listen_event{.events = EPOLLIN, .data = {.fd = context.listen_fd}};
  check(::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, context.listen_fd, &listen_event),
        "tcp_echo thread_pool: epoll_ctl");

  // The workers never stop (the process ends on SIGTERM), so the queue outlives this frame,
  // even when dispatch throws and the process exits with its message.
  auto* queue = new ReadyQueue;  // NOLINT(cppcoreguidelines-owning-memory)
  for (std::int64_t i = 0; i < workers; ++i) std::thread(worker, queue, epoll_fd).detach();
  context.ready();
  dispatch(context.listen_fd, epoll_fd, *queue);  // serves until the process is terminated
}

}  // namespace workloads::io::tcp_echo
