#pragma once
// corio::async_with(open, body): an async context manager (`async with`).
//
//   co_await corio::async_with(File::open(path), [](File& f) -> corio::Task<std::string> {
//     co_return co_await f.read_all();
//   });
//
// `open` is a Task<R> giving the resource; `body(R&)` returns a Task<U>; the result is U.
// `co_await resource.aclose()` always runs after the body: on success, on exception and on
// cancellation (the CancelledError is delivered once, so aclose() can itself await), and the
// body's exception is rethrown afterwards. If aclose() throws, that exception wins (Python's
// __aexit__ behaves the same). `body` is kept alive in async_with's frame until it finishes,
// so a capturing lambda is safe here.
// Example:  runtime/examples/async_context_manager.cpp

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include <corio/task.hpp>

namespace corio {

template <class R, class Body>
auto async_with(Task<R> open, Body body)
    -> Task<typename std::invoke_result_t<Body&, R&>::value_type> {
  using U = typename std::invoke_result_t<Body&, R&>::value_type;
  R resource = co_await std::move(open);
  std::exception_ptr error;
  if constexpr (std::is_void_v<U>) {
    try {
      co_await body(resource);
    } catch (...) {
      error = std::current_exception();
    }
    co_await resource.aclose();
    if (error) std::rethrow_exception(error);
  } else {
    std::optional<U> result;
    try {
      result.emplace(co_await body(resource));
    } catch (...) {
      error = std::current_exception();
    }
    co_await resource.aclose();
    if (error) std::rethrow_exception(error);
    co_return std::move(*result);
  }
}

}  // namespace corio
