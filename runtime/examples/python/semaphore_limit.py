"""semaphore_limit: asyncio.Semaphore caps how many jobs run at once.

The Python original of ../semaphore_limit.cpp, with 20 ms jobs. gather() wraps the ten jobs
in tasks that start in argument order; three take a permit, seven wait. Each release() wakes
the longest waiter, so jobs enter in the order they asked (0, 1, ... 9) and the ten jobs take
four rounds of 20 ms. `async with sem` releases the permit however the block ends.

Prints exactly ../expected/semaphore_limit.txt: nothing differs from corio here. (CPython
3.11's Semaphore is first come, first served: locked() is true while any task waits, so a
newcomer queues behind the waiters; that guarantee was strengthened in 2022, cpython gh-90155.)
"""

import asyncio
import time
from dataclasses import dataclass, field

JOBS = 10
LIMIT = 3
JOB_TIME_MS = 20


@dataclass
class Stats:
    running: int = 0
    max_running: int = 0
    start_order: list[int] = field(default_factory=list)


async def job(job_id: int, semaphore: asyncio.Semaphore, stats: Stats) -> None:
    async with semaphore:
        stats.start_order.append(job_id)
        stats.running += 1
        stats.max_running = max(stats.max_running, stats.running)
        await asyncio.sleep(JOB_TIME_MS / 1000)
        stats.running -= 1


async def main() -> None:
    semaphore = asyncio.Semaphore(LIMIT)
    stats = Stats()

    start = time.perf_counter()
    await asyncio.gather(*(job(job_id, semaphore, stats) for job_id in range(JOBS)))
    elapsed = time.perf_counter() - start

    print(f"{JOBS} jobs, at most {LIMIT} at once")
    print("started in order:", *stats.start_order)
    print(f"maximum observed concurrency: {stats.max_running}")
    # ceil(10 / 3) = 4 rounds; a sleep never ends early, so this holds on any machine.
    four_rounds = elapsed >= 4 * JOB_TIME_MS / 1000
    print(f"took at least 4 rounds of {JOB_TIME_MS} ms: {'yes' if four_rounds else 'no'}")


if __name__ == "__main__":
    asyncio.run(main())
