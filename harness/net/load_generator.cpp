// The suite's load generator (see load_generator.hpp): one thread, one epoll set, every
// connection a small state machine, the way wrk is built.
//
// Why not corio: the generator loads every model's server, corio's among them, so it depends
// on no runtime under test; and on two cores it must not be the bottleneck. In steady state a
// request costs what it costs wrk: one send(), one recv(), a share of one epoll_wait(), two
// clock reads (vDSO), no allocation and no epoll_ctl (sockets stay registered for EPOLLIN,
// level-triggered; EPOLLOUT is added only while a request does not fit the socket buffer).
//
// Phases: connect every connection (none connecting: std::runtime_error), warm up (answers
// not recorded), record for `duration`; requests still in flight when the window closes are
// not counted (as wrk). A request is recorded when its answer arrives inside the window.
//
// Open loop: request k is due at start + k / rate. A due request goes out on an idle
// connection at once, or waits (in order) until one is idle; its latency runs from its due
// time, so waiting in the generator counts (no coordinated omission). Waits use
// epoll_pwait2's nanosecond timeout, with the thread's timer slack at 1 us while running.
//
// Errors: a failed request (reset, end of stream, wrong bytes, bad status, timeout) is
// counted under its kind (LoadError), its connection is closed and re-opened at once; a failed
// connect is counted and retried after 10 ms. Connections are closed with SO_LINGER 0 (a
// reset, no TIME_WAIT): a suite opening thousands of connections per minute would otherwise
// run out of local ports.
//
// Answers are checked where they lie in the read buffer, never copied: an echo with one
// memcmp against the bytes sent, an HTTP body by HttpResponseReader against the target's
// ExpectedBody (one memcmp). The echo's message for request k is the window
// [offset(k), offset(k) + message_bytes) of one pseudo-random pattern, message_bytes + 4096
// bytes long: a different message per request costs one multiplication, and sending and
// comparing read the pattern in place.
#include "harness/net/load_generator.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <system_error>
#include <unistd.h>
#include <vector>

#include "harness/bad_input.hpp"
#include "harness/fd_limit.hpp"
#include "harness/net/http_response_reader.hpp"
#include "harness/net/resolve.hpp"

namespace harness {
namespace {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using std::chrono::nanoseconds;

constexpr std::size_t kReadBufferBytes = std::size_t{64} * 1024;
// Echo: the number of windows of the pattern, and the stride between consecutive requests'
// windows (odd, so 4,096 consecutive requests all start at different offsets).
constexpr std::uint64_t kEchoWindows = 4096;
constexpr std::uint64_t kEchoStride = 2'654'435'761;
constexpr std::size_t kMaxMessageBytes = std::size_t{256} << 20;
constexpr int kMaxEvents = 1024;
constexpr nanoseconds kConnectRetryDelay = std::chrono::milliseconds(10);
// How often request and connect deadlines are checked: a timeout fires at most this late.
constexpr nanoseconds kSweepInterval = std::chrono::milliseconds(10);
// The first connections must be made within this time (or request_timeout, if shorter).
constexpr nanoseconds kInitialConnectLimit = std::chrono::seconds(10);

std::string errno_text(int error) { return std::generic_category().message(error); }

// "0x4f".
std::string hex_byte(char c) {
  constexpr std::string_view kHex = "0123456789abcdef";
  const auto byte = static_cast<unsigned char>(c);
  return std::string("0x") + kHex[byte >> 4] + kHex[byte & 0xf];
}

std::string seconds_text(nanoseconds time) {
  std::string text = std::to_string(std::chrono::duration<double>(time).count());
  while (text.size() > 1 && text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text + " s";
}

void check_options(const LoadOptions& o) {
  auto refuse = [](const std::string& what) {
    throw BadInput("corio-bench: load generator: " + what);
  };
  if (o.host.empty()) refuse("no host to connect to");
  if (o.port == 0) refuse("port 0 cannot be connected to (give the server's port)");
  if (o.connections < 1)
    refuse("connections must be at least 1, not " + std::to_string(o.connections));
  if (o.duration <= nanoseconds::zero()) refuse("duration must be positive");
  if (o.warmup < nanoseconds::zero()) refuse("warm-up must not be negative");
  if (o.request_timeout <= nanoseconds::zero()) refuse("request timeout must be positive");
  if (o.max_requests < 0) refuse("max_requests must not be negative");
  if (!std::isfinite(o.rate_per_second) || o.rate_per_second < 0) {
    refuse("rate must be 0 (closed loop) or a positive number of requests per second");
  }
  if (o.rate_per_second > 0 && o.rate_per_second < 1e-3)
    refuse("rate below 0.001 requests per second");
  if (o.protocol == LoadProtocol::echo) {
    if (o.message_bytes == 0 || o.message_bytes > kMaxMessageBytes) {
      refuse("echo message size must be 1 byte to 256 MiB, not " + std::to_string(o.message_bytes));
    }
    if (!o.second_target.empty() || o.second_every != 0)
      refuse("second_target is for http_get only");
    if (o.expected_body || o.second_expected_body) {
      refuse("an expected body is for http_get only (an echo must be the bytes sent)");
    }
    return;
  }
  if (o.second_expected_body && o.second_target.empty()) {
    refuse("second_expected_body without a second_target");
  }
  auto check_target = [&](const std::string& target) {
    if (target.empty() || target.front() != '/' ||
        target.find_first_of(" \r\n\t") != std::string::npos) {
      refuse("HTTP target '" + target + "' must start with '/' and hold no blank");
    }
  };
  check_target(o.target);
  if (!o.second_target.empty() || o.second_every != 0) {
    check_target(o.second_target);
    if (o.second_every < 2) {
      refuse("second_every must be at least 2 with a second target, not " +
             std::to_string(o.second_every));
    }
  }
}

// Raises the descriptor limit (harness/fd_limit.hpp); BadInput when even the hard limit is too
// low for `connections`.
void make_room_for(int connections) {
  if (const std::string shortfall = descriptor_shortfall(connections); !shortfall.empty()) {
    throw BadInput("corio-bench: load generator: " + shortfall);
  }
}

// Timer slack at 1 us while the generator waits, so an open loop's sends leave on time
// (Linux's default slack lets a 10 us timeout expire up to 50 us late).
class TimerSlack {
 public:
  TimerSlack() : saved_(::prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0)) {
    ::prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
  }
  ~TimerSlack() {
    if (saved_ > 0) ::prctl(PR_SET_TIMERSLACK, static_cast<unsigned long>(saved_), 0, 0, 0);
  }
  TimerSlack(const TimerSlack&) = delete;
  TimerSlack& operator=(const TimerSlack&) = delete;

 private:
  int saved_;
};

enum class State : std::uint8_t { closed, connecting, idle, busy };

struct Connection {
  int fd = -1;
  std::uint32_t generation = 0;  // tells a stale epoll event from one for the current socket
  State state = State::closed;
  bool writing = false;      // EPOLLOUT registered: the request did not fit the socket buffer
  bool listed = false;       // in the open loop's idle list
  bool to_second = false;    // this request goes to second_target
  std::size_t sent = 0;      // bytes of the request written
  std::size_t received = 0;  // echo: bytes of the answer read
  std::size_t offset = 0;    // echo: where this request's message starts in the pattern
  TimePoint intended{};      // latency origin: the send time (closed loop), the due time (open)
  TimePoint deadline{};      // busy: request timeout; connecting: connect timeout; closed: retry
  HttpResponseReader reader;
};

class LoadRun {
 public:
  explicit LoadRun(const LoadOptions& options)
      : options_(options),
        address_(resolve(options.host, options.port)),
        open_loop_(options.rate_per_second > 0),
        interval_ns_(open_loop_ ? 1e9 / options.rate_per_second : 0.0),
        connections_(static_cast<std::size_t>(options.connections)),
        read_buffer_(kReadBufferBytes) {
    if (options.protocol == LoadProtocol::echo) {
      // Pseudo-random bytes (splitmix64): no window of the pattern equals another, nor a
      // shift of itself, except by chance at single bytes.
      request_.resize(options.message_bytes + kEchoWindows);
      std::uint64_t state = 0x243f6a8885a308d3;
      for (std::size_t i = 0; i < request_.size(); i += 8) {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        z ^= z >> 31;
        std::memcpy(request_.data() + i, &z, std::min<std::size_t>(8, request_.size() - i));
      }
    } else {
      const std::string host_header = "\r\nHost: " + address_.text + "\r\n\r\n";
      request_ = "GET " + options.target + " HTTP/1.1" + host_header;
      expected_body_ = options.expected_body.value_or(default_expected_body(options.target));
      if (!options.second_target.empty()) {
        second_request_ = "GET " + options.second_target + " HTTP/1.1" + host_header;
        second_every_ = static_cast<std::uint64_t>(options.second_every);
        second_expected_body_ =
            options.second_expected_body.value_or(default_expected_body(options.second_target));
      }
    }
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
  }

  ~LoadRun() {
    for (Connection& c : connections_) close_socket(c);
    if (epoll_ >= 0) ::close(epoll_);
  }
  LoadRun(const LoadRun&) = delete;
  LoadRun& operator=(const LoadRun&) = delete;

  LoadReport run() {
    const TimerSlack slack;
    connect_all();
    const TimePoint start = Clock::now();
    start_ = start;
    warm_end_ = start + options_.warmup;
    end_ = warm_end_ + options_.duration;
    running_ = true;
    next_sweep_ = start + kSweepInterval;
    for (std::size_t i = 0; i < connections_.size(); ++i) {
      if (connections_[i].state == State::idle) became_idle(i, start);
    }
    if (open_loop_) dispatch_due(start);

    std::array<epoll_event, kMaxEvents> events{};
    const int max_events = std::min(kMaxEvents, options_.connections + 1);
    for (TimePoint now = Clock::now(); now < end_ && !stopped_; now = Clock::now()) {
      TimePoint wake = std::min(end_, next_sweep_);
      if (open_loop_ && !idle_.empty()) wake = std::min(wake, due(next_due_));
      const int ready = wait(events.data(), max_events, wake - now);
      for (int e = 0; e < ready && !stopped_; ++e)
        dispatch_event(events[static_cast<std::size_t>(e)]);
      now = Clock::now();
      if (now >= next_sweep_) sweep(now);
      if (open_loop_) dispatch_due(now);
    }
    report_.elapsed = (stopped_ ? stop_time_ : end_) - warm_end_;
    return std::move(report_);
  }

 private:
  // --- phases -------------------------------------------------------------------------------

  // Opens every connection and waits until each is connected or has failed.
  void connect_all() {
    TimePoint now = Clock::now();
    const nanoseconds patience = std::min(options_.request_timeout, kInitialConnectLimit);
    const TimePoint limit = now + patience;
    for (std::size_t i = 0; i < connections_.size(); ++i) open(i, now);
    std::array<epoll_event, kMaxEvents> events{};
    const int max_events = std::min(kMaxEvents, options_.connections + 1);
    while (now < limit &&
           std::ranges::any_of(
               connections_, [](const Connection& c) { return c.state == State::connecting; })) {
      const int ready = wait(events.data(), max_events, limit - now);
      for (int e = 0; e < ready; ++e) dispatch_event(events[static_cast<std::size_t>(e)]);
      now = Clock::now();
    }
    if (std::ranges::none_of(connections_,
                             [](const Connection& c) { return c.state == State::idle; })) {
      throw std::runtime_error(
          "cannot connect to " + address_.text + ": " +
          (connect_error_.empty() ? "no answer within " + seconds_text(patience) : connect_error_));
    }
    // Those still connecting go on in the background; those that failed retry soon.
  }

  int wait(epoll_event* events, int max_events, nanoseconds timeout) {
    if (timeout < nanoseconds::zero()) timeout = nanoseconds::zero();
    const auto count = timeout.count();
    const timespec spec{.tv_sec = static_cast<time_t>(count / 1'000'000'000),
                        .tv_nsec = static_cast<long>(count % 1'000'000'000)};
    int ready = -1;
    if (!no_pwait2_) {
      ready = ::epoll_pwait2(epoll_, events, max_events, &spec, nullptr);
      if (ready < 0 && errno == ENOSYS) no_pwait2_ = true;
    }
    if (no_pwait2_) {  // kernels before 5.11: millisecond timeouts, rounded up
      const auto ms = std::min<std::int64_t>((count + 999'999) / 1'000'000, 1'000'000);
      ready = ::epoll_wait(epoll_, events, max_events, static_cast<int>(ms));
    }
    if (ready < 0) {
      if (errno == EINTR) return 0;
      throw std::system_error(errno, std::generic_category(), "epoll_wait");
    }
    return ready;
  }

  void dispatch_event(const epoll_event& event) {
    const auto index = static_cast<std::size_t>(event.data.u64 & 0xffffffffU);
    Connection& c = connections_[index];
    if (static_cast<std::uint32_t>(event.data.u64 >> 32) != c.generation || c.fd < 0) return;
    if (c.state == State::connecting) {
      finish_connect(index, Clock::now());
      return;
    }
    if ((event.events & EPOLLOUT) != 0 && c.writing && c.state == State::busy) {
      if (!write_request(index)) return;
    }
    if ((event.events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0) read_answer(index);
  }

  // Checks deadlines and re-opens connections whose retry time has come.
  void sweep(TimePoint now) {
    for (std::size_t i = 0; i < connections_.size(); ++i) {
      Connection& c = connections_[i];
      if (now < c.deadline) continue;
      if (c.state == State::busy) {
        fail(i, LoadError::timeout, "no answer within " + seconds_text(options_.request_timeout),
             now);
      } else if (c.state == State::connecting) {
        fail(i, LoadError::connect,
             "connect: no answer within " + seconds_text(options_.request_timeout), now);
      } else if (c.state == State::closed) {
        open(i, now);
      }
    }
    next_sweep_ = now + kSweepInterval;
  }

  // --- connections --------------------------------------------------------------------------

  std::uint64_t token(std::size_t index) const {
    return (std::uint64_t{connections_[index].generation} << 32) | index;
  }

  void control(int operation, std::size_t index, std::uint32_t events) {
    epoll_event event{};
    event.events = events;
    event.data.u64 = token(index);
    if (::epoll_ctl(epoll_, operation, connections_[index].fd, &event) != 0) {
      throw std::system_error(errno, std::generic_category(), "epoll_ctl");
    }
  }

  // Starts a non-blocking connect.
  void open(std::size_t index, TimePoint now) {
    Connection& c = connections_[index];
    c.fd = ::socket(address_.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) {
      connect_failed(index, "socket: " + errno_text(errno), now);
      return;
    }
    const int one = 1;
    ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    // Connected at once (0) or later (EINPROGRESS), the socket is taken up by its EPOLLOUT
    // event, never here: a failed request re-opens its connection from deep inside the
    // request path, which must not send again before it returns.
    if (::connect(c.fd, reinterpret_cast<const sockaddr*>(&address_.storage), address_.length) ==
            0 ||
        errno == EINPROGRESS) {
      // EPOLLOUT reports the end of the connect, success or failure; SO_ERROR tells which.
      control(EPOLL_CTL_ADD, index, EPOLLOUT);
      c.state = State::connecting;
      c.deadline = now + options_.request_timeout;
    } else {
      connect_failed(index, "connect: " + errno_text(errno), now);
    }
  }

  void finish_connect(std::size_t index, TimePoint now) {
    Connection& c = connections_[index];
    int error = 0;
    socklen_t length = sizeof error;
    if (::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
    if (error != 0) {
      connect_failed(index, "connect: " + errno_text(error), now);
      return;
    }
    control(EPOLL_CTL_MOD, index, EPOLLIN);
    connected(index, now);
  }

  void connected(std::size_t index, TimePoint now) {
    connections_[index].state = State::idle;
    if (running_) became_idle(index, now);
  }

  void connect_failed(std::size_t index, std::string what, TimePoint now) {
    connect_error_ = what;
    count_error(LoadError::connect, std::move(what), now);
    Connection& c = connections_[index];
    close_socket(c);
    c.deadline = now + kConnectRetryDelay;
  }

  // Closes with a reset (SO_LINGER 0): no TIME_WAIT left behind.
  void close_socket(Connection& c) {
    if (c.fd >= 0) {
      const linger abort{.l_onoff = 1, .l_linger = 0};
      ::setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
      ::close(c.fd);  // also leaves the epoll set
    }
    c.fd = -1;
    ++c.generation;
    c.state = State::closed;
    c.writing = false;
    c.sent = 0;
    c.received = 0;
    c.reader.reset();
  }

  // A request failed: counted; the connection is replaced at once.
  void fail(std::size_t index, LoadError kind, std::string what, TimePoint now) {
    count_error(kind, std::move(what), now);
    close_socket(connections_[index]);
    open(index, now);
  }

  void count_error(LoadError kind, std::string what, TimePoint now) {
    if (!running_ || now < warm_end_) return;
    ++report_.errors;
    ++report_.errors_by_kind[static_cast<std::size_t>(kind)];
    if (report_.first_error.empty()) {
      report_.first_error =
          kind == LoadError::wrong_answer ? "wrong answer: " + what : std::move(what);
    }
  }

  // --- requests -----------------------------------------------------------------------------

  TimePoint due(std::uint64_t k) const {
    return start_ + nanoseconds(static_cast<std::int64_t>(static_cast<double>(k) * interval_ns_));
  }

  // The connection may send: closed loop, at once; open loop, the oldest due request if any,
  // else it waits in the idle list.
  void became_idle(std::size_t index, TimePoint now) {
    if (!open_loop_) {
      send_request(index, now, now);
    } else if (due(next_due_) <= now) {
      send_request(index, due(next_due_++), now);
    } else if (!connections_[index].listed) {
      connections_[index].listed = true;
      idle_.push_back(index);
    }
  }

  void dispatch_due(TimePoint now) {
    while (!idle_.empty() && due(next_due_) <= now) {
      const std::size_t index = idle_.back();
      idle_.pop_back();
      connections_[index].listed = false;
      if (connections_[index].state == State::idle) send_request(index, due(next_due_++), now);
    }
  }

  void send_request(std::size_t index, TimePoint intended, TimePoint now) {
    Connection& c = connections_[index];
    c.state = State::busy;
    c.intended = intended;
    c.deadline = now + options_.request_timeout;
    c.sent = 0;
    c.received = 0;
    if (echo_) {
      c.offset = static_cast<std::size_t>((sequence_ * kEchoStride) % kEchoWindows);
    } else {
      c.to_second = second_every_ != 0 && sequence_ % second_every_ == second_every_ - 1;
      c.reader.expect_body(c.to_second ? &second_expected_body_ : &expected_body_);
    }
    ++sequence_;
    write_request(index);
  }

  // The bytes of the connection's current request: echo, its message's window of the pattern.
  std::string_view request_of(const Connection& c) const {
    if (echo_) return {request_.data() + c.offset, options_.message_bytes};
    return c.to_second ? second_request_ : request_;
  }

  // Writes what the socket takes; false when the connection failed.
  bool write_request(std::size_t index) {
    Connection& c = connections_[index];
    const std::string_view request = request_of(c);
    while (c.sent < request.size()) {
      const ssize_t n =
          ::send(c.fd, request.data() + c.sent, request.size() - c.sent, MSG_NOSIGNAL);
      if (n > 0) {
        c.sent += static_cast<std::size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!c.writing) {
          c.writing = true;
          control(EPOLL_CTL_MOD, index, EPOLLIN | EPOLLOUT);
        }
        return true;
      } else {
        fail(index, LoadError::connection, "send: " + errno_text(errno), Clock::now());
        return false;
      }
    }
    if (c.writing) {
      c.writing = false;
      control(EPOLL_CTL_MOD, index, EPOLLIN);
    }
    return true;
  }

  void read_answer(std::size_t index) {
    Connection& c = connections_[index];
    ssize_t n = 0;
    do {
      n = ::recv(c.fd, read_buffer_.data(), read_buffer_.size(), 0);
    } while (n < 0 && errno == EINTR);
    const TimePoint now = Clock::now();
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      fail(index, LoadError::connection, "recv: " + errno_text(errno), now);
      return;
    }
    if (n == 0) {
      if (c.state == State::busy) {
        fail(index, LoadError::connection, "the server closed the connection before answering",
             now);
      } else {  // an idle keep-alive connection closed by the server: not a failed request
        close_socket(c);
        open(index, now);
      }
      return;
    }
    const std::string_view data(read_buffer_.data(), static_cast<std::size_t>(n));
    if (c.state != State::busy) {  // echo: more than was sent; http: not a response
      fail(index, echo_ ? LoadError::wrong_answer : LoadError::malformed,
           "the server sent " + std::to_string(n) + " bytes nobody asked for", now);
      return;
    }
    if (echo_) {
      read_echo(index, data, now);
    } else {
      read_http(index, data, now);
    }
  }

  void read_echo(std::size_t index, std::string_view data, TimePoint now) {
    Connection& c = connections_[index];
    if (data.size() > c.sent - c.received) {
      fail(index, LoadError::wrong_answer,
           "the echo holds more bytes than were sent (" + std::to_string(c.received + data.size()) +
               " of " + std::to_string(c.sent) + " sent)",
           now);
      return;
    }
    const std::string_view message = request_of(c);
    if (std::memcmp(data.data(), message.data() + c.received, data.size()) != 0) {
      std::size_t i = 0;
      while (data[i] == message[c.received + i]) ++i;
      fail(index, LoadError::wrong_answer,
           "the echo differs from the message sent at byte " + std::to_string(c.received + i) +
               " of " + std::to_string(message.size()) + " (" + hex_byte(data[i]) + ", sent " +
               hex_byte(message[c.received + i]) + ")",
           now);
      return;
    }
    c.received += data.size();
    if (c.received == message.size()) answered(index, now);
  }

  void read_http(std::size_t index, std::string_view data, TimePoint now) {
    Connection& c = connections_[index];
    const HttpResponseReader::Step step = c.reader.feed(data);
    if (step.progress == HttpResponseReader::Progress::malformed) {
      fail(index, LoadError::malformed, "malformed response: " + c.reader.error(), now);
    } else if (step.progress == HttpResponseReader::Progress::complete) {
      const std::string& target = c.to_second ? options_.second_target : options_.target;
      if (step.consumed != data.size()) {
        fail(index, LoadError::malformed, "bytes after the response to GET " + target, now);
      } else if (c.sent != request_of(c).size()) {
        fail(index, LoadError::malformed,
             "an answer to GET " + target + " before the request was sent", now);
      } else if (c.reader.status() != 200) {
        fail(index, LoadError::status,
             "status " + std::to_string(c.reader.status()) + " for GET " + target, now);
      } else if (!c.reader.body_matches()) {
        fail(index, LoadError::wrong_answer, c.reader.body_mismatch() + " for GET " + target, now);
      } else {
        const bool closes = c.reader.closes();
        c.reader.reset();
        if (closes) {  // answered, then closed as announced: re-open before the next request
          record(index, now);
          close_socket(c);
          open(index, now);
        } else {
          answered(index, now);
        }
      }
    }
  }

  void answered(std::size_t index, TimePoint now) {
    record(index, now);
    connections_[index].state = State::idle;
    if (!stopped_) became_idle(index, now);
  }

  void record(std::size_t index, TimePoint now) {
    if (now < warm_end_ || now >= end_) return;
    const Connection& c = connections_[index];
    (c.to_second ? report_.second_latency : report_.latency).record((now - c.intended).count());
    ++report_.completed;
    if (options_.max_requests > 0 && report_.completed >= options_.max_requests && !stopped_) {
      stopped_ = true;
      stop_time_ = now;
    }
  }

  const LoadOptions& options_;
  const Address address_;
  const bool open_loop_;
  const double interval_ns_;  // open loop: between due times
  const bool echo_ = options_.protocol == LoadProtocol::echo;
  // echo: the pattern every message is a window of; http: the GET of `target`
  std::string request_;
  std::string second_request_;  // http: the GET of `second_target`
  ExpectedBody expected_body_;  // http: of `target`'s answers
  ExpectedBody second_expected_body_;
  std::uint64_t second_every_ = 0;
  std::uint64_t sequence_ = 0;  // requests sent so far (picks the second target)
  std::vector<Connection> connections_;
  std::vector<char> read_buffer_;
  int epoll_ = -1;
  bool no_pwait2_ = false;

  bool running_ = false;  // past connect_all
  bool stopped_ = false;  // max_requests reached
  TimePoint start_{};
  TimePoint warm_end_{};
  TimePoint end_{};
  TimePoint stop_time_{};
  TimePoint next_sweep_{};
  std::uint64_t next_due_ = 0;     // open loop: the next request to send
  std::vector<std::size_t> idle_;  // open loop: idle connections
  std::string connect_error_;      // the last failed connect, for "cannot connect"
  LoadReport report_;
};

}  // namespace

ExpectedBody default_expected_body(std::string_view target) {
  if (target == "/plaintext") return ExpectedBody::exactly(std::string(kPlaintextBody));
  return ExpectedBody::anything();
}

std::string_view load_error_name(LoadError kind) {
  switch (kind) {
    case LoadError::connect:
      return "connect";
    case LoadError::connection:
      return "connection";
    case LoadError::timeout:
      return "timeout";
    case LoadError::malformed:
      return "malformed";
    case LoadError::status:
      return "status";
    case LoadError::wrong_answer:
      return "wrong answer";
  }
  return "unknown";
}

std::string LoadReport::errors_summary() const {
  std::string text;
  for (std::size_t kind = 0; kind < kLoadErrorKinds; ++kind) {
    if (errors_by_kind[kind] == 0) continue;
    if (!text.empty()) text += ", ";
    text += std::to_string(errors_by_kind[kind]) + " " +
            std::string(load_error_name(static_cast<LoadError>(kind)));
  }
  return text;
}

LoadReport run_load(const LoadOptions& options) {
  check_options(options);
  make_room_for(options.connections);
  LoadRun run(options);
  return run.run();
}

}  // namespace harness
