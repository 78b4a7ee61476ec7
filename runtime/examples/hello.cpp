// hello: the smallest corio program, asyncio's "Hello World".
//
// Python original:
//   async def main():
//       print('Hello ...')
//       await asyncio.sleep(1)
//       print('... World!')
//
//   asyncio.run(main())
//
// corio::run() plays asyncio.run(): it creates the event loop on this thread, runs amain() to
// completion, closes the loop and hands back amain's value. co_await corio::sleep() suspends
// amain and leaves the thread to the loop until the timer fires.

#include <chrono>
#include <iostream>

#include <corio/run.hpp>
#include <corio/sleep.hpp>
#include <corio/task.hpp>

using namespace std::chrono_literals;

corio::Task<int> amain() {
  std::cout << "Hello ...\n";
  co_await corio::sleep(50ms);
  std::cout << "... World!\n";
  co_return 0;
}

int main() { return corio::run(amain()); }
