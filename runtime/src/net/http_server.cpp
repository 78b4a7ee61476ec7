// The HTTP/1.1 server helper: one coroutine per connection. Its parser and buffers (a
// Workspace) come from a free list per serve() when a request's bytes arrive and go back when
// the connection is idle again with nothing buffered: an idle keep-alive connection holds its
// socket, its task frame and a pointer, and a request in steady state allocates nothing.
#include <algorithm>
#include <cstring>
#include <exception>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include <corio/net/http_server.hpp>
#include <corio/sleep.hpp>
#include <corio/task_group.hpp>

namespace corio::net::http {
namespace {

// The receive side: bytes [begin_, end_) of data_ are received and not yet consumed; the
// parser sees them from begin_, which is the current request's first byte.
class ReceiveBuffer {
 public:
  ReceiveBuffer(std::size_t initial, std::size_t most)
      : data_(std::max<std::size_t>(initial, 1)),
        initial_(data_.size()),
        most_(std::max(most, data_.size())) {}

  [[nodiscard]] bool empty() const noexcept { return begin_ == end_; }
  [[nodiscard]] bool grown() const noexcept { return data_.size() > initial_; }
  void clear() noexcept { begin_ = end_ = 0; }
  [[nodiscard]] std::string_view unconsumed() const noexcept {
    return {data_.data() + begin_, end_ - begin_};
  }
  void consume(std::size_t count) noexcept {
    begin_ += count;
    if (begin_ == end_) begin_ = end_ = 0;  // the common case: the burst was answered whole
  }
  // Room to read into: the partial request moves to the front when the tail is short, and
  // the buffer doubles (up to `most`) only when the partial request fills it. Empty when the
  // request is already `most` bytes (the parser reports its limit before that).
  std::span<char> room() {
    if (data_.size() - end_ < kMinRead && begin_ > 0) {
      std::memmove(data_.data(), data_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (end_ == data_.size() && data_.size() < most_) {
      data_.resize(std::min(most_, data_.size() * 2));
    }
    return {data_.data() + end_, data_.size() - end_};
  }
  void commit(std::size_t count) noexcept { end_ += count; }

 private:
  static constexpr std::size_t kMinRead = 2048;
  std::vector<char> data_;
  std::size_t initial_;
  std::size_t most_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

// The send side: replies of one burst are appended, then written with one write_all.
class SendBuffer {
 public:
  explicit SendBuffer(std::size_t initial)
      : data_(std::max<std::size_t>(initial, 512)), initial_(data_.size()) {}
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] bool grown() const noexcept { return data_.size() > initial_; }
  [[nodiscard]] std::span<const char> pending() const noexcept { return {data_.data(), size_}; }
  [[nodiscard]] std::size_t free_bytes() const noexcept { return data_.size() - size_; }
  void clear() noexcept { size_ = 0; }
  // Only called when empty, for one reply larger than the buffer.
  void reserve_total(std::size_t bytes) {
    if (data_.size() < bytes) data_.resize(bytes);
  }
  std::span<char> tail() noexcept { return {data_.data() + size_, data_.size() - size_}; }
  void commit(std::size_t count) noexcept { size_ += count; }

 private:
  std::vector<char> data_;
  std::size_t initial_;
  std::size_t size_ = 0;
};

// What a connection needs only while it holds bytes of a request: the parser (its Request has
// room for kMaxHeaders header fields, about 4 KiB) and both buffers (16 KiB each by default).
struct Workspace {
  explicit Workspace(const ServerOptions& options)
      : parser(options.limits),
        in(options.receive_bytes, options.limits.max_head_bytes + options.limits.max_body_bytes),
        out(options.send_bytes) {}
  RequestParser parser;
  ReceiveBuffer in;
  SendBuffer out;
  Workspace* next_spare = nullptr;
};

// The workspaces of one serve() (one loop), on a free list: acquire() pops a spare or builds
// one, release() pushes it back, forgetting any partial request. At most
// ServerOptions::spare_workspaces spares are kept, and a workspace whose buffers grew for one
// large request is freed instead, so the spares are all of the initial size. Shared (by
// shared_ptr, one per connection) so that it outlives every connection whatever order frames
// are destroyed in at loop shutdown. Loop thread only.
class WorkspacePool {
 public:
  explicit WorkspacePool(ServerOptions options) : options_(options) {}
  WorkspacePool(const WorkspacePool&) = delete;
  WorkspacePool& operator=(const WorkspacePool&) = delete;
  ~WorkspacePool() {
    while (spares_ != nullptr) delete std::exchange(spares_, spares_->next_spare);
  }

  Workspace* acquire() {
    if (spares_ == nullptr) return new Workspace(options_);
    --spare_count_;
    return std::exchange(spares_, spares_->next_spare);
  }
  void release(Workspace* work) noexcept {
    if (spare_count_ >= options_.spare_workspaces || work->in.grown() || work->out.grown()) {
      delete work;
      return;
    }
    work->parser.reset();
    work->in.clear();
    work->out.clear();
    work->next_spare = std::exchange(spares_, work);
    ++spare_count_;
  }

 private:
  ServerOptions options_;
  Workspace* spares_ = nullptr;
  std::size_t spare_count_ = 0;
};

// A connection's hold on a workspace: empty while the connection is idle.
class WorkspaceLease {
 public:
  explicit WorkspaceLease(WorkspacePool& pool) noexcept : pool_(&pool) {}
  WorkspaceLease(const WorkspaceLease&) = delete;
  WorkspaceLease& operator=(const WorkspaceLease&) = delete;
  ~WorkspaceLease() { release(); }

  explicit operator bool() const noexcept { return work_ != nullptr; }
  Workspace* operator->() const noexcept { return work_; }
  void acquire() { work_ = pool_->acquire(); }
  void release() noexcept {
    if (work_ != nullptr) pool_->release(std::exchange(work_, nullptr));
  }

 private:
  WorkspacePool* pool_;
  Workspace* work_ = nullptr;
};

// Most bytes a head takes besides the content type and extra headers (status line,
// Content-Type, Content-Length, Connection lines and the blank line), with room to spare.
constexpr std::size_t kHeadOverhead = 160;

// Appends one reply, or returns false when the buffer lacks room (nothing is then appended).
bool append_reply(SendBuffer& out, int status, std::string_view content_type, std::string_view body,
                  bool keep_alive, bool http10, bool head_only, std::string_view allow = {}) {
  const ReplyHeaderLines extra("corio", keep_alive && http10, allow);
  const std::size_t body_size = head_only ? 0 : body.size();
  if (out.free_bytes() < kHeadOverhead + content_type.size() + extra.view().size() + body_size) {
    return false;
  }
  const std::size_t head =
      write_response_head(out.tail(), status, content_type, body.size(), keep_alive, extra.view());
  if (head == 0) return false;
  out.commit(head);
  // memcpy from a null data() (an empty body) is undefined even for 0 bytes.
  if (body_size > 0) std::memcpy(out.tail().data(), body.data(), body_size);
  out.commit(body_size);
  return true;
}

std::size_t reply_bound(std::string_view content_type, std::string_view body) noexcept {
  return kHeadOverhead + ReplyHeaderLines::kMaxBytes + content_type.size() + body.size();
}

bool is_head(const Request& request) noexcept { return request.method == "HEAD"; }

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

Task<void> serve_pooled(TcpStream stream, Handler handler, std::shared_ptr<WorkspacePool> pool) {
  try {
    WorkspaceLease work(*pool);
    bool close_after = false;
    // The current request's "Expect: 100-continue" is answered (it is asked once per request).
    bool expectation_answered = false;
    while (!close_after) {
      if (!work) {
        // Idle between requests: wait with no buffer, and take one only once bytes arrive.
        co_await stream.wait_readable();
        work.acquire();
      }
      RequestParser& parser = work->parser;
      ReceiveBuffer& in = work->in;
      SendBuffer& out = work->out;
      const std::span<char> room = in.room();
      if (room.empty()) break;  // unreachable with the parser's limits; never spin
      const std::size_t received = co_await stream.read(room);
      if (received == 0) break;  // the peer closed (mid-request or between requests)
      in.commit(received);
      // Answer every complete request already buffered (a pipelined burst), in order.
      for (;;) {
        const ParseResult result = parser.parse(in.unconsumed());
        if (result.status == ParseStatus::need_more) {
          // The head of a request whose body is still to come: pending_head() is fresh only
          // now, right after the parse() that parsed the head.
          const Request* head = parser.pending_head();
          if (head != nullptr && head->expect_continue && !expectation_answered) {
            expectation_answered = true;
            const Reply early = handler(*head);
            if (early.status >= 400) {
              // A final status without reading the body: the body's bytes would follow
              // unframed, so the connection closes after it (RFC 9110 section 10.1.1).
              if (!append_reply(out, early.status, early.content_type, early.body, false, false,
                                is_head(*head), early.allow)) {
                if (!out.empty()) {
                  co_await stream.write_all(out.pending());
                  out.clear();
                }
                out.reserve_total(reply_bound(early.content_type, early.body));
                append_reply(out, early.status, early.content_type, early.body, false, false,
                             is_head(*head), early.allow);
              }
              close_after = true;
            } else if (out.free_bytes() >= kContinue.size()) {
              std::memcpy(out.tail().data(), kContinue.data(), kContinue.size());
              out.commit(kContinue.size());
            } else {
              co_await stream.write_all(out.pending());
              out.clear();
              std::memcpy(out.tail().data(), kContinue.data(), kContinue.size());
              out.commit(kContinue.size());
            }
          }
          break;
        }
        expectation_answered = false;
        if (result.status == ParseStatus::error) {
          const std::string_view reason = status_text(result.error_status);
          if (!append_reply(out, result.error_status, "text/plain", reason, false, false, false)) {
            co_await stream.write_all(out.pending());
            out.clear();
            append_reply(out, result.error_status, "text/plain", reason, false, false, false);
          }
          close_after = true;
          break;
        }
        const Request& request = parser.request();
        const Reply reply = handler(request);
        if (reply.delay.count() > 0) {
          // Earlier replies of the burst do not wait for this one.
          if (!out.empty()) {
            co_await stream.write_all(out.pending());
            out.clear();
          }
          co_await corio::sleep(reply.delay);
        }
        const bool keep_alive = request.keep_alive;
        const bool http10 = request.version_minor == 0;
        if (!append_reply(out, reply.status, reply.content_type, reply.body, keep_alive, http10,
                          is_head(request), reply.allow)) {
          if (!out.empty()) {
            co_await stream.write_all(out.pending());
            out.clear();
          }
          out.reserve_total(reply_bound(reply.content_type, reply.body));
          append_reply(out, reply.status, reply.content_type, reply.body, keep_alive, http10,
                       is_head(request), reply.allow);
        }
        in.consume(result.consumed);
        if (!keep_alive) {
          close_after = true;
          break;
        }
      }
      if (!out.empty()) {
        co_await stream.write_all(out.pending());
        out.clear();
      }
      // Nothing buffered (no pipelined leftover, no partial request): idle again.
      if (in.empty()) work.release();
    }
    // Our FIN follows the last reply; the peer reads it whole before end of stream (unless it
    // still sends, in which case the kernel may reset: malformed peers get no lingering).
    stream.shutdown();
  } catch (const std::exception&) {
    // A peer reset or EPIPE ends this connection only. CancelledError is not a std::exception
    // and goes through, so that cancellation is reported as such.
  }
}

Task<void> accept_connections(TcpListener* listener, TaskGroup* group, Handler handler,
                              std::shared_ptr<WorkspacePool> pool) {
  for (;;) group->spawn(serve_pooled(co_await listener->accept(), handler, pool));
}

}  // namespace

Task<void> serve_connection(TcpStream stream, Handler handler, ServerOptions options) {
  return serve_pooled(std::move(stream), handler, std::make_shared<WorkspacePool>(options));
}

Task<void> serve(TcpListener listener, Handler handler, ServerOptions options) {
  TaskGroup group;
  // The accept loop is a child too: cancelling the join below cancels it with the connections.
  group.spawn(
      accept_connections(&listener, &group, handler, std::make_shared<WorkspacePool>(options)));
  co_await group.join();
}

}  // namespace corio::net::http
