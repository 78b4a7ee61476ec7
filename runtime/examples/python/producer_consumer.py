"""producer_consumer: a bounded asyncio.Queue between one producer and several consumers.

The Python original of ../producer_consumer.cpp (asyncio docs, Queues), with a producer and
fixed work times instead of random ones. The producer fills a queue bounded at 4 items, so its
put() waits while the queue is full (back-pressure). Each consumer calls task_done() once per
item; queue.join() returns when every item put has been marked done. The consumers loop
forever, so main cancels them and gathers them with return_exceptions=True, which hands back
their CancelledErrors instead of raising the first.

As in corio, the consumer tasks first run when main suspends: main awaits producer()
directly, which puts 4 items without suspending and waits on the fifth, so the full queue
always makes the producer wait. Prints exactly ../expected/producer_consumer.txt: nothing
differs from corio here.
"""

import asyncio
import time
from dataclasses import dataclass

ITEMS = 20
QUEUE_SIZE = 4
CONSUMERS = 3


def work_ms(item: int) -> int:
    """Item i stands for (i % 4 + 1) * 3 ms of work: 20 items make 150 ms in all."""
    return (item % 4 + 1) * 3


@dataclass
class Totals:
    processed: int = 0
    work_ms: int = 0
    puts_that_waited: int = 0


async def producer(queue: asyncio.Queue[int], totals: Totals) -> None:
    for item in range(1, ITEMS + 1):
        if queue.full():
            totals.puts_that_waited += 1
        await queue.put(item)  # waits while the queue holds QUEUE_SIZE items
    print(f"producer: put {ITEMS} items")


async def consumer(queue: asyncio.Queue[int], totals: Totals) -> None:
    while True:
        item = await queue.get()
        await asyncio.sleep(work_ms(item) / 1000)
        totals.processed += 1
        totals.work_ms += work_ms(item)
        queue.task_done()


async def main() -> None:
    queue: asyncio.Queue[int] = asyncio.Queue(maxsize=QUEUE_SIZE)
    totals = Totals()

    start = time.perf_counter()
    consumers = [asyncio.create_task(consumer(queue, totals)) for _ in range(CONSUMERS)]
    await producer(queue, totals)
    await queue.join()
    elapsed = time.perf_counter() - start
    print(f"queue.join(): all {totals.processed} items processed, {totals.work_ms} ms of work")
    print(f"the full queue made the producer wait: {'yes' if totals.puts_that_waited else 'no'}")
    parallel = elapsed < totals.work_ms / 1000
    print(f"{CONSUMERS} consumers worked in parallel: {'yes' if parallel else 'no'}")

    for task in consumers:
        task.cancel()
    results = await asyncio.gather(*consumers, return_exceptions=True)
    cancelled = sum(isinstance(result, asyncio.CancelledError) for result in results)
    print(f"cancelled {cancelled} consumers")
    print(f"total processed: {totals.processed}")


if __name__ == "__main__":
    asyncio.run(main())
