// spawn_vs_gather: three ways to run coroutines concurrently: spawn (create_task), gather and
// TaskGroup.
//
// Python original (asyncio docs, Coroutines and Tasks):
//   async def say_after(delay, what):
//       await asyncio.sleep(delay)
//       print(what)
//       return what
//
//   task1 = asyncio.create_task(say_after(1, 'hello'))      # 1. create_task
//   task2 = asyncio.create_task(say_after(2, 'world'))
//   print(await task1, await task2)
//   print(await asyncio.gather(say_after(1, 'hello'), say_after(2, 'world')))  # 2. gather
//   async with asyncio.TaskGroup() as tg:                    # 3. TaskGroup
//       task1 = tg.create_task(say_after(1, 'hello'))
//       task2 = tg.create_task(say_after(2, 'world'))
//   print(f'Both tasks have completed now: {task1.result()}, {task2.result()}')
//
// - spawn() schedules the task at once, but it first runs when the spawning coroutine next
//   suspends; its JoinHandle is awaited for the result (and can cancel it, or be dropped to
//   detach it).
// - gather() is a lazy Task: nothing runs until it is awaited; then each child runs until its
//   first suspension, in argument order, and the results come back in that order.
// - A TaskGroup owns its children: join() returns once all have finished, and a failing child
//   cancels its siblings. A child's JoinHandle gives its result after join().
// In each case the start lines come before the first result: the sleeps overlap.

#include <chrono>
#include <iostream>
#include <string>

#include <corio/gather.hpp>
#include <corio/run.hpp>
#include <corio/sleep.hpp>
#include <corio/spawn.hpp>
#include <corio/task.hpp>
#include <corio/task_group.hpp>

using namespace std::chrono_literals;
using std::chrono::milliseconds;

corio::Task<std::string> say_after(milliseconds delay, std::string what) {
  std::cout << "  say_after(" << delay.count() << " ms, " << what << "): started\n";
  co_await corio::sleep(delay);
  std::cout << "  " << what << '\n';
  co_return what;
}

corio::Task<> with_spawn() {
  std::cout << "1. spawn: the tasks start when main suspends\n";
  corio::JoinHandle<std::string> task1 = corio::spawn(say_after(20ms, "hello"));
  corio::JoinHandle<std::string> task2 = corio::spawn(say_after(40ms, "world"));
  std::cout << "  main: spawned two tasks; neither has run yet\n";
  const std::string first = co_await task1;  // main suspends here: both tasks start
  const std::string second = co_await task2;
  std::cout << "  main: awaited the handles: " << first << ", " << second << '\n';
}

corio::Task<> with_gather() {
  std::cout << "2. gather: the children start when gather is awaited\n";
  auto both = corio::gather(say_after(20ms, "hello"), say_after(40ms, "world"));
  std::cout << "  main: built the gather; nothing has run yet\n";
  const auto [first, second] = co_await std::move(both);
  std::cout << "  main: gather returned: " << first << ", " << second << '\n';
}

corio::Task<> with_task_group() {
  std::cout << "3. TaskGroup: join() returns when every child has finished\n";
  corio::TaskGroup group;
  corio::JoinHandle<std::string> task1 = group.spawn(say_after(20ms, "hello"));
  corio::JoinHandle<std::string> task2 = group.spawn(say_after(40ms, "world"));
  co_await group.join();
  std::cout << "  main: Both tasks have completed now: " << task1.result() << ", " << task2.result()
            << '\n';
}

corio::Task<int> amain() {
  co_await with_spawn();
  co_await with_gather();
  co_await with_task_group();
  co_return 0;
}

int main() { return corio::run(amain()); }
