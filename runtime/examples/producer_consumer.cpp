// producer_consumer: a bounded corio::Queue between one producer and several consumers.
//
// Python original (asyncio docs, Queues):
//   async def worker(name, queue):
//       while True:
//           sleep_for = await queue.get()
//           await asyncio.sleep(sleep_for)
//           queue.task_done()
//
//   async def main():
//       queue = asyncio.Queue()
//       for _ in range(20): queue.put_nowait(random.uniform(0.05, 1.0))
//       tasks = [asyncio.create_task(worker(f'worker-{i}', queue)) for i in range(3)]
//       await queue.join()
//       for task in tasks: task.cancel()
//       await asyncio.gather(*tasks, return_exceptions=True)
//
// Here a producer task fills a queue bounded at 4 items, so its put() waits while the queue is
// full (back-pressure). Each consumer calls task_done() once per item; queue.join() returns
// when every item put has been marked done. The consumers loop forever, so main cancels them,
// then awaits each one (gather has no return_exceptions; awaiting the handles does the same).

#include <chrono>
#include <cstddef>
#include <iostream>
#include <vector>

#include <corio/errors.hpp>
#include <corio/queue.hpp>
#include <corio/run.hpp>
#include <corio/sleep.hpp>
#include <corio/spawn.hpp>
#include <corio/task.hpp>

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kItems = 20;
constexpr std::size_t kQueueSize = 4;
constexpr int kConsumers = 3;

// Item i stands for (i % 4 + 1) * 3 ms of work: 20 items make 150 ms in all.
milliseconds work_for(int item) { return milliseconds{(item % 4 + 1) * 3}; }

struct Totals {
  int processed = 0;
  milliseconds work{0};
  int puts_that_waited = 0;
};

// The queue and the totals are shared, so they are passed by reference: they are amain's locals,
// and amain outlives every task using them, since it awaits them all before returning.
// NOLINTNEXTLINE(cppcoreguidelines-avoid-reference-coroutine-parameters): see above
corio::Task<> producer(corio::Queue<int>& queue, Totals& totals) {
  for (int item = 1; item <= kItems; ++item) {
    if (queue.full()) ++totals.puts_that_waited;
    co_await queue.put(item);  // waits while the queue holds kQueueSize items
  }
  std::cout << "producer: put " << kItems << " items\n";
}

// NOLINTNEXTLINE(cppcoreguidelines-avoid-reference-coroutine-parameters): see producer
corio::Task<> consumer(corio::Queue<int>& queue, Totals& totals) {
  for (;;) {
    const int item = co_await queue.get();
    co_await corio::sleep(work_for(item));
    ++totals.processed;
    totals.work += work_for(item);
    queue.task_done();
  }
}

corio::Task<int> amain() {
  corio::Queue<int> queue(kQueueSize);
  Totals totals;

  const Clock::time_point start = Clock::now();
  std::vector<corio::JoinHandle<void>> consumers;
  consumers.reserve(kConsumers);
  for (int i = 0; i < kConsumers; ++i) consumers.push_back(corio::spawn(consumer(queue, totals)));
  co_await producer(queue, totals);
  co_await queue.join();
  const auto elapsed = Clock::now() - start;
  std::cout << "queue.join(): all " << totals.processed << " items processed, "
            << totals.work.count() << " ms of work\n";
  // The consumers first run when amain suspends: by then the producer has filled the queue.
  std::cout << "the full queue made the producer wait: "
            << (totals.puts_that_waited > 0 ? "yes" : "no") << '\n';
  std::cout << kConsumers
            << " consumers worked in parallel: " << (elapsed < totals.work ? "yes" : "no") << '\n';

  for (auto& handle : consumers) handle.cancel();
  int cancelled = 0;
  for (auto& handle : consumers) {
    try {
      co_await handle;
    } catch (const corio::CancelledError&) {
      ++cancelled;
    }
  }
  std::cout << "cancelled " << cancelled << " consumers\n";
  std::cout << "total processed: " << totals.processed << '\n';
  co_return 0;
}

int main() { return corio::run(amain()); }
