"""sequential_vs_gather: awaiting coroutines one after another vs asyncio.gather.

The Python original of ../sequential_vs_gather.cpp, with delays of 90, 30 and 60 ms instead
of 3, 1 and 2 s. Awaiting a coroutine runs it to completion before the next line starts, so
the waits add up; gather() wraps the three in tasks that wait together, so the whole takes
about the longest delay. Results come back in argument order, whatever order the tasks finish
in. Timing is only printed as yes/no.

Prints exactly ../expected/sequential_vs_gather.txt: nothing differs from corio here.
"""

import asyncio
import time

DELAYS_MS = (90, 30, 60)
SUM_S = sum(DELAYS_MS) / 1000  # 180 ms in sequence; the longest is 90 ms


async def fetch_data(delay_ms: int) -> str:
    await asyncio.sleep(delay_ms / 1000)
    print(f"  fetched after {delay_ms} ms")
    return f"data after {delay_ms} ms"


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


async def main() -> None:
    print("sequential:")
    start = time.perf_counter()
    r1 = await fetch_data(90)
    r2 = await fetch_data(30)
    r3 = await fetch_data(60)
    sequential = time.perf_counter() - start
    print(f"  results: {r1}, {r2}, {r3}")

    print("gather:")
    start = time.perf_counter()
    g1, g2, g3 = await asyncio.gather(fetch_data(90), fetch_data(30), fetch_data(60))
    gathered = time.perf_counter() - start
    print(f"  results: {g1}, {g2}, {g3}")

    # A sleep never ends early, so the sequential run always takes at least the sum; gather
    # takes about the longest delay, far below the sum even on a loaded machine.
    print(f"sequential waited for the sum of the delays: {yes_no(sequential >= SUM_S)}")
    print(f"gather overlapped the waits: {yes_no(gathered < SUM_S)}")


if __name__ == "__main__":
    asyncio.run(main())
