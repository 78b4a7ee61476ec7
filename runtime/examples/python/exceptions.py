"""exceptions: how failures, timeouts and cancellation reach the awaiting coroutine.

The Python original of ../exceptions.cpp (asyncio docs: Coroutines and Tasks), with sleeps of
10 to 30 ms. Prints ../expected/python/exceptions.txt, which differs from the C++ example's
../expected/exceptions.txt where asyncio behaves differently or names things differently:

- Part 2: asyncio.gather() raises the first failure at once and leaves the other children
  running (corio's gather waits for every child, then rethrows the first failure). So here
  'first' reaches main before 'second' is raised and before slow_ok finishes; main then waits
  for the remaining children with asyncio.wait() so that their lines come before part 3.
  'second' and slow_ok end at 40 and 60 ms (C++: 20 and 30 ms) so that main is sure to print
  "gather raised" before 'second' is raised, even on a loaded machine.
  gather has already marked the late failure as retrieved, so asyncio logs no "Task exception
  was never retrieved" for 'second'.
- Part 1 says `await` where the C++ says `co_await`.
Parts 3 and 4 behave as in corio: wait_for cancels the late task, waits for its cleanup and
raises TimeoutError; asyncio.CancelledError derives from BaseException (since 3.8), so
`except Exception` lets it through, as `catch (const std::exception&)` does in C++.
"""

import asyncio


async def fail_after(delay: float, message: str) -> None:
    await asyncio.sleep(delay)
    print(f"  fail_after: raising '{message}'")
    raise RuntimeError(message)


async def slow_ok(delay: float) -> str:
    await asyncio.sleep(delay)
    print("  slow_ok: finished")
    return "ok"


async def slow_operation() -> None:
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError:
        print("  slow_operation: cancelled, cleaning up")
        raise  # swallowing it would make wait_for return normally


async def cancel_me() -> None:
    print("  cancel_me(): before sleep")
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        print("  cancel_me(): cancel sleep")
        raise
    finally:
        print("  cancel_me(): after sleep")


async def awaited_failure() -> None:
    print("1. a failing task raises at await:")
    try:
        await fail_after(0.01, "boom")
    except RuntimeError as e:
        print(f"  caught: {e}")


async def gather_failure() -> None:
    print("2. gather raises the first failure at once; the other children keep running:")
    children = [
        asyncio.create_task(slow_ok(0.06)),
        asyncio.create_task(fail_after(0.01, "first")),
        asyncio.create_task(fail_after(0.04, "second")),
    ]
    try:
        await asyncio.gather(*children)
        print("  not reached")
    except RuntimeError as e:
        print(f"  gather raised: {e}")
    still_running = sum(not child.done() for child in children)
    print(f"  children still running: {still_running}")
    await asyncio.wait(children)
    print(f"  afterwards: slow_ok returned '{children[0].result()}'")


async def timeout() -> None:
    print("3. wait_for cancels the late task, waits for its cleanup, raises TimeoutError:")
    try:
        await asyncio.wait_for(slow_operation(), timeout=0.02)
        print("  not reached")
    except TimeoutError:
        print("  wait_for raised TimeoutError")


async def cancellation() -> None:
    print("4. a cancelled task raises CancelledError where it waits, and at its awaiter:")
    task = asyncio.create_task(cancel_me())
    await asyncio.sleep(0.01)
    task.cancel()
    try:
        try:
            await task
            print("  not reached")
        except Exception as e:
            # A handler for failures: CancelledError is a BaseException and passes through.
            print(f"  not reached: {e}")
    except asyncio.CancelledError:
        print("  main(): cancel_me is cancelled now")


async def main() -> None:
    await awaited_failure()
    await gather_failure()
    await timeout()
    await cancellation()


if __name__ == "__main__":
    asyncio.run(main())
