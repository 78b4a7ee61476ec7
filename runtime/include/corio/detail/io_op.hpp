#pragma once
// Readiness-driven socket operations on the loop's epoll reactor.
//
//   corio::detail::Socket  a non-blocking descriptor registered once with epoll
//                          (edge-triggered), with at most one waiting reader and one writer
//   corio::detail::IoOp    one operation (read, write, accept, connect): tries the system call,
//                          and if the socket is not ready, waits for epoll and retries from the
//                          event handler, then resumes the awaiting coroutine once
//
// Readiness: an edge-triggered registration reports each arrival once, so the socket keeps a
// "readable"/"writable" flag: set by epoll, cleared when a call meets EAGAIN or a read comes
// back short (the receive buffer was drained). A read on a socket not marked readable waits
// for epoll instead of making a system call bound to fail: a keep-alive request costs one read
// and one write, with epoll_wait shared by every connection that became ready together.
// Cancellation: an operation cancelled while it waits leaves the socket untouched (no byte
// was consumed or sent by it) and throws CancelledError. Closing a socket wakes its waiters
// with std::system_error(EBADF).

#include <cerrno>
#include <coroutine>
#include <cstdint>
#include <system_error>

#include <corio/detail/frame_allocator.hpp>
#include <corio/detail/poller.hpp>
#include <corio/detail/task_core.hpp>
#include <corio/errors.hpp>
#include <corio/event_loop.hpp>

namespace corio::detail {

class IoOp;

class Socket final : public PollEntry, public PooledObject {
 public:
  // Takes ownership of a non-blocking fd and registers it with the current loop.
  explicit Socket(int fd);
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  // Wakes waiters with EBADF, deregisters and closes.
  ~Socket();

  [[nodiscard]] int fd() const noexcept { return fd_; }
  bool readable = true;  // optimistic: the first call tries the system call
  bool writable = true;
  // epoll reported the peer's end of stream (or an error): reads must keep trying, since no
  // further edge will come for data and FIN that arrived together.
  bool peer_closed = false;
  IoOp* reader = nullptr;
  IoOp* writer = nullptr;

 private:
  static void dispatch(PollEntry* self, std::uint32_t events) noexcept;
  int fd_;
};

// A socket operation. `attempt` makes the system call(s): it returns true when the operation is
// complete (successfully or with errno in `error`), false on EAGAIN (it must then have cleared
// the socket's flag).
class IoOp : private CancelHook {
 public:
  enum class Direction : std::uint8_t { read, write };

  IoOp(Socket& socket, Direction direction, bool (*attempt)(IoOp&) noexcept) noexcept
      : CancelHook{&IoOp::handle_cancel},
        socket_(&socket),
        attempt_(attempt),
        direction_(direction) {}
  IoOp(const IoOp&) = delete;
  IoOp& operator=(const IoOp&) = delete;
  ~IoOp() {
    if (waiting_) forget();  // frame destroyed while waiting (loop shutdown)
  }

  [[nodiscard]] bool await_ready() noexcept { return ready() && attempt_(*this); }
  template <class Promise>
  bool await_suspend(std::coroutine_handle<Promise> awaiting) {
    core_ = core_of(awaiting);
    if (core_ != nullptr && core_->take_pending_cancel()) {
      cancelled_ = true;
      return false;
    }
    handle_ = awaiting;
    slot() = this;
    waiting_ = true;
    current_loop().add_io_waiter();
    if (core_ != nullptr) core_->install_hook(this);
    return true;
  }

  // Called by Socket when epoll reports this direction ready (or the socket closes).
  void on_ready() noexcept {
    if (!closing_ && !attempt_(*this)) return;  // spurious: keep waiting
    wake();
  }
  void on_close() noexcept {
    closing_ = true;
    error = EBADF;
    wake();
  }

  int error = 0;  // errno of a failed call, 0 on success
  [[nodiscard]] Socket& socket() const noexcept { return *socket_; }

 protected:
  void throw_if_cancelled() const {
    if (cancelled_) throw CancelledError{};
  }
  // Throws what the operation ended with; `what` names it for the error message.
  void throw_if_failed(const char* what) const {
    throw_if_cancelled();
    if (error != 0) throw std::system_error(error, std::generic_category(), what);
  }

 private:
  [[nodiscard]] bool ready() const noexcept {
    return direction_ == Direction::read ? socket_->readable : socket_->writable;
  }
  IoOp*& slot() noexcept {
    return direction_ == Direction::read ? socket_->reader : socket_->writer;
  }

  void forget() noexcept {
    waiting_ = false;
    slot() = nullptr;
    current_loop().remove_io_waiter();
  }
  void wake() noexcept {
    forget();
    if (core_ != nullptr) core_->clear_hook();
    current_loop().schedule(handle_);
  }
  static void handle_cancel(CancelHook* hook) noexcept {
    auto& self = static_cast<IoOp&>(*hook);
    self.forget();
    self.cancelled_ = true;
    current_loop().schedule(self.handle_);
  }

  Socket* socket_;
  bool (*attempt_)(IoOp&) noexcept;
  TaskCore* core_ = nullptr;
  std::coroutine_handle<> handle_;
  Direction direction_;
  bool waiting_ = false;
  bool cancelled_ = false;
  bool closing_ = false;
};

}  // namespace corio::detail
