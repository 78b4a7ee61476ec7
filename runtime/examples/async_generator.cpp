// async_generator: a coroutine that both awaits and yields, consumed like `async for`.
//
// Python original (PEP 525):
//   async def ticker(delay, to):
//       for i in range(to):
//           yield i
//           await asyncio.sleep(delay)
//
//   async def main():
//       async for i in ticker(0.01, 5):
//           print(i)
//
// `while (auto v = co_await gen.next())` is `async for`: next() runs the body until its next
// co_yield (a value) or its end (std::nullopt). The body sleeps inside the consuming task, so
// the loop serves other tasks meanwhile. Leaving the loop early and dropping the generator
// destroys the suspended body at once, running its destructors: what Python's aclose() (or
// contextlib.aclosing) does.

#include <chrono>
#include <iostream>
#include <string>

#include <corio/generator.hpp>
#include <corio/run.hpp>
#include <corio/sleep.hpp>
#include <corio/task.hpp>

using namespace std::chrono_literals;
using std::chrono::milliseconds;

// Says when the generator body's locals are destroyed.
class CleanupNotice {
 public:
  CleanupNotice() = default;
  CleanupNotice(const CleanupNotice&) = delete;
  CleanupNotice& operator=(const CleanupNotice&) = delete;
  ~CleanupNotice() { std::cout << "  ticker: body's destructors ran\n"; }
};

corio::Generator<int> ticker(milliseconds delay, int to) {
  CleanupNotice notice;
  for (int i = 0; i < to; ++i) {
    co_yield i;
    co_await corio::sleep(delay);
  }
}

corio::Task<int> amain() {
  std::cout << "async for i in ticker(10 ms, 5):\n";
  int sum = 0;
  auto ticks = ticker(10ms, 5);
  while (auto i = co_await ticks.next()) {
    std::cout << "  " << *i << '\n';
    sum += *i;
  }
  std::cout << "  sum: " << sum << '\n';

  std::cout << "break after two values:\n";
  {
    auto early = ticker(10ms, 1000);
    while (auto i = co_await early.next()) {
      std::cout << "  " << *i << '\n';
      if (*i == 1) break;
    }
    std::cout << "  consumer: leaving the scope\n";
  }  // the generator, suspended after yielding 1, is destroyed here
  std::cout << "done\n";
  co_return 0;
}

int main() { return corio::run(amain()); }
