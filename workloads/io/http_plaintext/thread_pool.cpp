// thread_pool: a fixed pool of `threads` blocking workers (default: one per core) behind one
// epoll thread: the half-sync/half-async pattern of Tomcat's NIO connector and of most Java
// and C++ thread-pool servers. A pool of N workers that each blocked in read() on one
// keep-alive connection could serve only N clients at once, and the others would starve; so
// the waiting is done by a single poller thread, and workers only ever touch connections with
// bytes to read:
//
//   poller (this thread): epoll_wait on the listener and every idle connection; accepts new
//     ones; pushes each readable connection on the work queue. Connections are registered
//     EPOLLONESHOT, so a connection is in the hands of one worker at a time and is re-armed by
//     that worker when it is done with the burst.
//   workers: pop a connection, read what is there (non-blocking), answer every pipelined
//     request, send the replies (waiting in poll() if the peer's window is full: the blocking
//     part, which holds one worker only), then re-arm it or close it.
//
// The hand-off costs a queue push and a futex wake per burst: that is this model's price
// against the single-loop models, and what the benchmark shows. A connection (descriptor and
// session) is allocated by the poller at accept and rides in epoll's data pointer; from then
// on only the worker holding it touches it (the queue's mutex and epoll's re-arm order the
// hand-overs), and the worker that closes it deletes it.

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <memory>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <vector>

#include "workloads/common/server_ready_queue.hpp"
#include "workloads/io/http_plaintext/blocking_io.hpp"
#include "workloads/io/http_plaintext/servers.hpp"

namespace workloads::io::http_plaintext {
namespace {

struct Connection {
  int fd = -1;
  HttpSession session;
};

// Readable connections waiting for a worker, first come first served.
using WorkQueue = common::ReadyQueue<Connection*>;

struct Server {
  int epoll_fd = -1;
  WorkQueue queue;
};

constexpr std::uint32_t kConnectionEvents = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;

void finish(Connection* connection) {
  ::close(connection->fd);  // also removes it from the epoll set
  delete connection;        // NOLINT(cppcoreguidelines-owning-memory): epoll held it raw
}

// One burst: one read (the socket is non-blocking: epoll said it is readable), answer every
// complete request, send. Bytes left in the socket keep it readable: the re-arm below makes
// epoll report it again at once.
void serve_burst(Server& server, Connection* connection) {
  const int fd = connection->fd;
  HttpSession& session = connection->session;
  bool peer_closed = false;
  const std::span<char> room = session.receive_room();
  ssize_t received = -1;
  do {
    // NOLINTNEXTLINE(clang-analyzer-unix.BlockInCriticalSection): no lock is held here
    received = ::read(fd, room.data(), room.size());
  } while (received < 0 && errno == EINTR);
  if (received > 0) {
    session.received(static_cast<std::size_t>(received));
  } else if (received == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
    peer_closed = true;  // end of stream, or a reset
  }
  session.answer();
  const bool sent = send_all(fd, session.unsent());
  session.sent(session.unsent().size());
  if (!sent || peer_closed || session.closing()) {
    finish(connection);
    return;
  }
  epoll_event event{.events = kConnectionEvents, .data = {.ptr = connection}};
  if (::epoll_ctl(server.epoll_fd, EPOLL_CTL_MOD, fd, &event) < 0) finish(connection);
}

void run_worker(Server* server) {
  for (;;) serve_burst(*server, server->queue.pop());
}

// Accepts every pending connection. False when out of descriptors (EMFILE ...): connections
// are still pending, and the edge-triggered listener will not report them again, so the
// poller retries after a short wait. The analyzer cannot see that the epoll set keeps each
// new Connection (in its data pointer) and reports a leak.
// NOLINTBEGIN(clang-analyzer-cplusplus.NewDeleteLeaks)
bool accept_all(Server& server, int listen_fd) {
  for (;;) {
    const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return errno == EAGAIN || errno == EWOULDBLOCK;
    }
    set_no_delay(fd);
    // Owned by the epoll set from here on (its data pointer); finish() deletes it.
    auto* connection = new Connection;  // NOLINT(cppcoreguidelines-owning-memory)
    connection->fd = fd;
    epoll_event event{.events = kConnectionEvents, .data = {.ptr = connection}};
    if (::epoll_ctl(server.epoll_fd, EPOLL_CTL_ADD, fd, &event) < 0) finish(connection);
  }
}
// NOLINTEND(clang-analyzer-cplusplus.NewDeleteLeaks)

}  // namespace

void serve_thread_pool(harness::ServerContext& context) {
  const auto cores = static_cast<std::int64_t>(std::max(1U, std::thread::hardware_concurrency()));
  const auto threads = context.int_param("threads", cores, 1, 1024);

  auto server = std::make_unique<Server>();
  server->epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (server->epoll_fd < 0)
    throw std::system_error(errno, std::generic_category(), "epoll_create1");
  const int listen_fd = context.listen_fd;
  // Edge-triggered on the listener: accept_all drains the backlog each time.
  epoll_event listen_event{.events = EPOLLIN | EPOLLET, .data = {.ptr = nullptr}};
  if (::epoll_ctl(server->epoll_fd, EPOLL_CTL_ADD, listen_fd, &listen_event) < 0) {
    throw std::system_error(errno, std::generic_category(), "epoll_ctl listener");
  }
  // Non-blocking: the poller must never wait in accept().
  const int flags = ::fcntl(listen_fd, F_GETFL);
  ::fcntl(listen_fd, F_SETFL, flags | O_NONBLOCK);

  std::vector<std::thread> workers;
  workers.reserve(static_cast<std::size_t>(threads));
  for (std::int64_t i = 0; i < threads; ++i) workers.emplace_back(run_worker, server.get());
  context.ready();

  std::vector<epoll_event> events(256);
  std::vector<Connection*> ready;
  bool accept_pending = false;  // out of descriptors with connections still pending
  for (;;) {
    const int count = ::epoll_wait(server->epoll_fd, events.data(), static_cast<int>(events.size()),
                                   accept_pending ? 1 : -1);
    if (count < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "epoll_wait");
    }
    if (accept_pending) accept_pending = !accept_all(*server, listen_fd);
    ready.clear();
    for (int i = 0; i < count; ++i) {
      auto* connection = static_cast<Connection*>(events[static_cast<std::size_t>(i)].data.ptr);
      if (connection == nullptr) {
        accept_pending = !accept_all(*server, listen_fd);
      } else {
        ready.push_back(connection);
      }
    }
    if (!ready.empty()) server->queue.push(ready);
  }
}

}  // namespace workloads::io::http_plaintext
