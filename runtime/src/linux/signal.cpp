// corio::wait_for_signal: a signalfd registered with the loop's epoll like a socket.
#include <cerrno>
#include <pthread.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <system_error>
#include <unistd.h>

#include <corio/detail/io_op.hpp>
#include <corio/signal.hpp>

namespace corio {
namespace {

sigset_t make_set(std::initializer_list<int> signals) {
  sigset_t set;
  ::sigemptyset(&set);
  for (const int signal : signals) {
    if (::sigaddset(&set, signal) < 0) {
      throw std::system_error(errno, std::generic_category(), "corio: signal number");
    }
  }
  return set;
}

void block(const sigset_t& set) {
  // pthread_sigmask returns the error rather than setting errno.
  if (const int error = ::pthread_sigmask(SIG_BLOCK, &set, nullptr); error != 0) {
    throw std::system_error(error, std::generic_category(), "corio: pthread_sigmask");
  }
}

// Reads one signalfd_siginfo; a signalfd is read like a socket (non-blocking, EAGAIN).
class SignalAwaiter : public detail::IoOp {
 public:
  explicit SignalAwaiter(detail::Socket& socket) noexcept
      : IoOp(socket, Direction::read, &SignalAwaiter::attempt) {}
  int await_resume() const {
    throw_if_failed("corio::wait_for_signal: read");
    return signal_;
  }

 private:
  static bool attempt(IoOp& op) noexcept {
    auto& self = static_cast<SignalAwaiter&>(op);
    for (;;) {
      signalfd_siginfo info{};
      const ssize_t n = ::read(self.socket().fd(), &info, sizeof info);
      if (n == static_cast<ssize_t>(sizeof info)) {
        self.signal_ = static_cast<int>(info.ssi_signo);
        return true;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        self.socket().readable = false;
        return false;
      }
      self.error = n < 0 ? errno : EIO;
      return true;
    }
  }
  int signal_ = 0;
};

Task<int> wait_on(sigset_t set) {
  block(set);
  const int fd = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0)
    throw std::system_error(errno, std::generic_category(), "corio::wait_for_signal: signalfd");
  detail::Socket socket(fd);  // owns fd: registered with epoll, closed when the wait ends
  co_return co_await SignalAwaiter(socket);
}

}  // namespace

void block_signals(std::initializer_list<int> signals) { block(make_set(signals)); }

// Not a coroutine itself: the set is built before the list's array can go away.
Task<int> wait_for_signal(std::initializer_list<int> signals) { return wait_on(make_set(signals)); }

}  // namespace corio
