"""hello: asyncio's "Hello World", the Python original of ../hello.cpp.

asyncio.run() creates the event loop, runs main() to completion and closes the loop;
``await asyncio.sleep()`` suspends main() and leaves the thread to the loop until the timer
fires. The sleep is 50 ms instead of the docs' 1 s, as in the C++ example.

Prints exactly ../expected/hello.txt: nothing differs from corio here.
"""

import asyncio


async def main() -> None:
    print("Hello ...")
    await asyncio.sleep(0.05)
    print("... World!")


if __name__ == "__main__":
    asyncio.run(main())
