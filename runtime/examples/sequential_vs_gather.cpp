// sequential_vs_gather: awaiting coroutines one after another vs running them concurrently.
//
// Python original:
//   async def fetch_data(delay):
//       await asyncio.sleep(delay)
//       return f'data after {delay}s'
//
//   async def main():
//       r1 = await fetch_data(3); r2 = await fetch_data(1); r3 = await fetch_data(2)  # 6 s
//       results = await asyncio.gather(fetch_data(3), fetch_data(1), fetch_data(2))  # 3 s
//
// Awaiting a Task runs it to completion before the next line starts, so the waits add up.
// corio::gather starts all three at once; the waits overlap and the whole takes about the
// longest delay. Results come back in argument order, whatever order the tasks finish in.

#include <chrono>
#include <iostream>
#include <string>

#include <corio/gather.hpp>
#include <corio/run.hpp>
#include <corio/sleep.hpp>
#include <corio/task.hpp>

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

corio::Task<std::string> fetch_data(milliseconds delay) {
  co_await corio::sleep(delay);
  std::cout << "  fetched after " << delay.count() << " ms\n";
  co_return "data after " + std::to_string(delay.count()) + " ms";
}

const char* yes_no(bool value) { return value ? "yes" : "no"; }

corio::Task<int> amain() {
  // 90 + 30 + 60 = 180 ms in sequence; the longest is 90 ms.
  constexpr milliseconds kSum = 180ms;

  std::cout << "sequential:\n";
  Clock::time_point start = Clock::now();
  std::string r1 = co_await fetch_data(90ms);
  std::string r2 = co_await fetch_data(30ms);
  std::string r3 = co_await fetch_data(60ms);
  const auto sequential = Clock::now() - start;
  std::cout << "  results: " << r1 << ", " << r2 << ", " << r3 << '\n';

  std::cout << "gather:\n";
  start = Clock::now();
  auto [g1, g2, g3] = co_await corio::gather(fetch_data(90ms), fetch_data(30ms), fetch_data(60ms));
  const auto gathered = Clock::now() - start;
  std::cout << "  results: " << g1 << ", " << g2 << ", " << g3 << '\n';

  // A sleep never ends early, so the sequential run always takes at least the sum; gather
  // takes about the longest delay, far below the sum even on a loaded machine.
  std::cout << "sequential waited for the sum of the delays: " << yes_no(sequential >= kSum)
            << '\n';
  std::cout << "gather overlapped the waits: " << yes_no(gathered < kSum) << '\n';
  co_return 0;
}

int main() { return corio::run(amain()); }
