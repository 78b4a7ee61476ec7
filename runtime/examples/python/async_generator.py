"""async_generator: a coroutine that both awaits and yields, consumed with `async for`.

The Python original of ../async_generator.cpp (PEP 525), with 10 ms ticks. The body sleeps
inside the consuming task, so the loop serves other tasks meanwhile.

Prints ../expected/python/async_generator.txt, which differs from the C++ example's
../expected/async_generator.txt in one word: the body's cleanup is a `finally` clause here,
a destructor there. The order is the same, but only because the early stop closes the
generator explicitly: leaving an `async for` with `break` does not close an async generator
in Python; it is finalized later (when collected, through the loop's asyncgen hooks, as a
separate task). contextlib.aclosing() awaits aclose() when its block ends, which runs the
`finally` at once, the way dropping a corio::Generator destroys its suspended body.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator


async def ticker(delay: float, to: int) -> AsyncIterator[int]:
    try:
        for i in range(to):
            yield i
            await asyncio.sleep(delay)
    finally:
        print("  ticker: body's finally ran")


async def main() -> None:
    print("async for i in ticker(10 ms, 5):")
    total = 0
    async for i in ticker(0.01, 5):
        print(f"  {i}")
        total += i
    print(f"  sum: {total}")

    print("break after two values:")
    async with contextlib.aclosing(ticker(0.01, 1000)) as early:
        async for i in early:
            print(f"  {i}")
            if i == 1:
                break
        print("  consumer: leaving the scope")
    # aclosing() has awaited early.aclose() here: GeneratorExit ran the body's finally.
    print("done")


if __name__ == "__main__":
    asyncio.run(main())
