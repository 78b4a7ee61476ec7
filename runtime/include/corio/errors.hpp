#pragma once
// The exceptions corio raises in tasks.
//
//   corio::CancelledError  thrown at a task's suspension point after JoinHandle::cancel()
//   corio::TimeoutError    thrown by wait_for() when the deadline passes first
//
// CancelledError deliberately does not derive from std::exception, as asyncio's derives from
// BaseException rather than Exception: a `catch (const std::exception&)` meant for failures
// must not swallow a cancellation. Catch it by name when cleanup needs it, and rethrow.

#include <stdexcept>

namespace corio {

class CancelledError {
 public:
  [[nodiscard]] const char* what() const noexcept { return "corio::CancelledError"; }
};

class TimeoutError : public std::runtime_error {
 public:
  TimeoutError() : std::runtime_error("corio::TimeoutError: the operation timed out") {}
};

}  // namespace corio
