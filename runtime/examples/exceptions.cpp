// exceptions: how failures, timeouts and cancellation reach the awaiting coroutine.
//
// Python original (asyncio docs: Coroutines and Tasks):
//   try: await fail_after(0.01, 'boom')                                    # 1. raised at await
//   except RuntimeError as e: print('caught:', e)
//   try: await asyncio.gather(slow_ok(), fail_after(0.01, 'first'), fail_after(0.02, 'second'))
//   except RuntimeError as e: print('gather raised:', e)                   # 2.
//   try: await asyncio.wait_for(slow_operation(), timeout=0.02)
//   except TimeoutError: print('wait_for raised TimeoutError')             # 3.
//   task = asyncio.create_task(cancel_me()); await asyncio.sleep(0.01); task.cancel()
//   try: await task                                                        # 4.
//   except asyncio.CancelledError: print('main(): cancel_me is cancelled now')
//
// Differences from asyncio worth knowing:
// - gather() waits for every child before it rethrows the first failure (asyncio raises it at
//   once and leaves the others running); the siblings are not cancelled either way.
// - corio::CancelledError does not derive from std::exception (asyncio's derives from
//   BaseException, not Exception): `catch (const std::exception&)` lets it through, so catch
//   it by name, clean up, and rethrow.
// - C++ forbids co_await inside a catch block; there is no `finally`, a destructor plays it.

#include <chrono>
#include <iostream>
#include <stdexcept>
#include <string>

#include <corio/errors.hpp>
#include <corio/gather.hpp>
#include <corio/run.hpp>
#include <corio/sleep.hpp>
#include <corio/spawn.hpp>
#include <corio/task.hpp>
#include <corio/wait_for.hpp>

using namespace std::chrono_literals;
using std::chrono::milliseconds;

corio::Task<int> fail_after(milliseconds delay, std::string message) {
  co_await corio::sleep(delay);
  std::cout << "  fail_after: raising '" << message << "'\n";
  throw std::runtime_error(message);
}

corio::Task<std::string> slow_ok(milliseconds delay) {
  co_await corio::sleep(delay);
  std::cout << "  slow_ok: finished\n";
  co_return "ok";
}

corio::Task<> slow_operation() {
  try {
    co_await corio::sleep(5s);
  } catch (const corio::CancelledError&) {
    std::cout << "  slow_operation: cancelled, cleaning up\n";
    throw;  // swallowing it would make wait_for return normally
  }
}

corio::Task<> cancel_me() {
  struct Finally {
    Finally() = default;
    Finally(const Finally&) = delete;
    Finally& operator=(const Finally&) = delete;
    ~Finally() { std::cout << "  cancel_me(): after sleep\n"; }
  } finally;
  std::cout << "  cancel_me(): before sleep\n";
  try {
    co_await corio::sleep(3600s);
  } catch (const corio::CancelledError&) {
    std::cout << "  cancel_me(): cancel sleep\n";
    throw;
  }
}

corio::Task<> awaited_failure() {
  std::cout << "1. a failing task raises at co_await:\n";
  try {
    co_await fail_after(10ms, "boom");
  } catch (const std::runtime_error& e) {
    std::cout << "  caught: " << e.what() << '\n';
  }
}

corio::Task<> gather_failure() {
  std::cout << "2. gather waits for every child, then raises the first failure:\n";
  try {
    co_await corio::gather(slow_ok(30ms), fail_after(10ms, "first"), fail_after(20ms, "second"));
    std::cout << "  not reached\n";
  } catch (const std::runtime_error& e) {
    std::cout << "  gather raised: " << e.what() << '\n';
  }
}

corio::Task<> timeout() {
  std::cout << "3. wait_for cancels the late task, waits for its cleanup, raises TimeoutError:\n";
  try {
    co_await corio::wait_for(slow_operation(), 20ms);
    std::cout << "  not reached\n";
  } catch (const corio::TimeoutError&) {
    std::cout << "  wait_for raised TimeoutError\n";
  }
}

corio::Task<> cancellation() {
  std::cout << "4. a cancelled task raises CancelledError where it waits, and at its awaiter:\n";
  corio::JoinHandle<void> task = corio::spawn(cancel_me());
  co_await corio::sleep(10ms);
  task.cancel();
  try {
    try {
      co_await task;
      std::cout << "  not reached\n";
    } catch (const std::exception& e) {
      // A handler for failures: CancelledError is not a std::exception and passes through.
      std::cout << "  not reached: " << e.what() << '\n';
    }
  } catch (const corio::CancelledError&) {
    std::cout << "  main(): cancel_me is cancelled now\n";
  }
}

corio::Task<int> amain() {
  co_await awaited_failure();
  co_await gather_failure();
  co_await timeout();
  co_await cancellation();
  co_return 0;
}

int main() { return corio::run(amain()); }
