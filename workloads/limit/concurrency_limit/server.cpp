// limit/concurrency_limit's server: one corio event loop, a coroutine per connection, and a
// corio::Semaphore(C) as the service's capacity: a request holds one of its C permits while
// it is "worked on" (corio::sleep(D)), so C requests are in service at once and the rest wait
// in the semaphore's FIFO queue; the queue bound, when set, turns waiting into an immediate
// 503. corio::net::http::serve cannot do this: its handler is a plain synchronous function,
// so the connection loop is written here with TcpStream and RequestParser (one request at a
// time per connection; pipelined requests are answered in order).
//
// The server never needs to stop gracefully: SIGTERM's default action ends the process and
// the kernel closes every socket.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <span>
#include <string_view>
#include <utility>

#include <corio/corio.hpp>

#include "workloads/limit/concurrency_limit/servers.hpp"

namespace workloads::limit::concurrency_limit {
namespace {

namespace http = corio::net::http;

struct Service {
  Service(std::int64_t capacity, std::chrono::milliseconds service_time, std::int64_t bound)
      : slots(static_cast<std::size_t>(capacity)), delay(service_time), queue_bound(bound) {}
  corio::Semaphore slots;  // C permits: the requests in service
  std::chrono::milliseconds delay;
  std::int64_t queue_bound;  // 0: unbounded
  std::int64_t waiting = 0;  // requests queued for a slot
};

// Counts a request as waiting for as long as it is queued, however the wait ends.
class Waiting {
 public:
  explicit Waiting(Service& service) noexcept : service_(service) { ++service_.waiting; }
  Waiting(const Waiting&) = delete;
  Waiting& operator=(const Waiting&) = delete;
  ~Waiting() { --service_.waiting; }

 private:
  Service& service_;
};

class Permit {
 public:
  explicit Permit(corio::Semaphore& slots) noexcept : slots_(slots) {}
  Permit(const Permit&) = delete;
  Permit& operator=(const Permit&) = delete;
  ~Permit() { slots_.release(); }

 private:
  corio::Semaphore& slots_;
};

// Serves one GET /work: 200 after D ms in a slot, or 503 at once when the queue is full.
corio::Task<int> work(Service* service) {
  if (service->queue_bound > 0 && service->slots.locked() &&
      service->waiting >= service->queue_bound) {
    co_return 503;
  }
  {
    const Waiting waiting(*service);
    co_await service->slots.acquire();
  }
  const Permit permit(service->slots);
  co_await corio::sleep(service->delay);
  co_return 200;
}

// The body of each status this server answers with.
std::string_view body_of(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 503:
      return "Service Unavailable: queue full";
    case 404:
      return "Not Found: this server serves GET /work";
    default:
      return http::status_text(status);
  }
}

// Appends one response to `out`; returns its size (0 when `out` is too small: never here).
// A HEAD's answer (`head_only`) has the Content-Length of the body and none of its bytes.
std::size_t write_reply(std::span<char> out, int status, bool keep_alive, bool http10,
                        bool head_only = false) {
  const std::string_view body = body_of(status);
  const std::size_t body_bytes = head_only ? 0 : body.size();
  const std::string_view extra = keep_alive && http10 ? "Connection: keep-alive\r\n" : "";
  const std::size_t head =
      http::write_response_head(out, status, "text/plain", body.size(), keep_alive, extra);
  if (head == 0 || head + body_bytes > out.size()) return 0;
  std::memcpy(out.data() + head, body.data(), body_bytes);
  return head + body_bytes;
}

corio::Task<void> serve_connection(corio::net::TcpStream stream, Service* service) {
  // Requests are small GETs: a 2 KiB head is plenty, and a body is refused (413).
  constexpr http::Limits kLimits{.max_head_bytes = 2048, .max_body_bytes = 0};
  try {
    http::RequestParser parser(kLimits);
    // One byte beyond the head limit: the parser reports 431 (or 414) once it holds more than
    // the limit, so a buffer of exactly the limit would fill first and close without it.
    std::array<char, kLimits.max_head_bytes + 1> in{};
    std::array<char, 512> out{};
    std::size_t begin = 0;
    std::size_t end = 0;
    for (;;) {
      const http::ParseResult parsed =
          parser.parse(std::string_view(in.data() + begin, end - begin));
      if (parsed.status == http::ParseStatus::error) {
        const std::size_t size = write_reply(out, parsed.error_status, false, false);
        co_await stream.write_all(std::span<const char>(out.data(), size));
        break;
      }
      if (parsed.status == http::ParseStatus::complete) {
        const http::Request& request = parser.request();
        const bool keep_alive = request.keep_alive;
        const bool http10 = request.version_minor == 0;
        const bool head_only = request.method == "HEAD";
        const bool is_work = (request.method == "GET" || head_only) && request.path == "/work";
        // The request's views are not used past this point: the buffer may change below.
        const int status = is_work ? co_await work(service) : 404;
        const std::size_t size = write_reply(out, status, keep_alive, http10, head_only);
        co_await stream.write_all(std::span<const char>(out.data(), size));
        begin += parsed.consumed;
        if (begin == end) begin = end = 0;
        if (!keep_alive) break;
        continue;
      }
      // need_more: move the partial request to the front, then read after it. The parser
      // reports a head over the limit before the buffer can fill.
      if (begin > 0) {
        std::memmove(in.data(), in.data() + begin, end - begin);
        end -= begin;
        begin = 0;
      }
      if (end == in.size()) break;  // unreachable with the parser's limit; never spin
      const std::size_t received =
          co_await stream.read(std::span<char>(in.data() + end, in.size() - end));
      if (received == 0) break;  // the client closed its connection
      end += received;
    }
    stream.shutdown();
  } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): nothing to report
    // A reset or EPIPE ends this connection only; the client counts it.
  }
}

corio::Task<void> serve_on_loop(harness::ServerContext* context, Service* service) {
  // Adopted on the loop's thread: the listener registers with this loop's reactor.
  corio::net::TcpListener listener = corio::net::TcpListener::adopt(context->listen_fd);
  context->ready();
  corio::TaskGroup connections;
  for (;;) connections.spawn(serve_connection(co_await listener.accept(), service));
}

}  // namespace

void serve_limited(harness::ServerContext& context) {
  Service service(context.int_param("capacity", 8, 1, 1'000'000),
                  std::chrono::milliseconds(context.int_param("delay_ms", 10, 0, 3'600'000)),
                  context.int_param("queue_bound", 0, 0, 1'000'000'000));
  corio::run(serve_on_loop(&context, &service));
}

}  // namespace workloads::limit::concurrency_limit
