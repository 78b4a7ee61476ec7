"""spawn_vs_gather: three ways to run coroutines concurrently: create_task, gather, TaskGroup.

The Python original of ../spawn_vs_gather.cpp (asyncio docs, Coroutines and Tasks), with
delays of 20 and 40 ms instead of 1 and 2 s. In each case the start lines come before the
first result: the sleeps overlap.

Prints ../expected/python/spawn_vs_gather.txt, which differs from the C++ example's
../expected/spawn_vs_gather.txt where asyncio differs from corio:

- gather() is not lazy in asyncio: the call wraps each coroutine in a task at once, and the
  tasks start at main's next suspension, whatever it waits for. corio's gather() is a lazy
  Task that starts nothing until it is awaited. To show it, main awaits asyncio.sleep(0)
  between calling gather and awaiting it: the children start during that sleep.
- Names: create_task and tasks where corio says spawn and handles; the TaskGroup is joined by
  leaving its `async with` block where corio calls group.join().
create_task behaves as corio's spawn: the task is scheduled at once and first runs when the
creating coroutine suspends.
"""

import asyncio


async def say_after(delay_ms: int, what: str) -> str:
    print(f"  say_after({delay_ms} ms, {what}): started")
    await asyncio.sleep(delay_ms / 1000)
    print(f"  {what}")
    return what


async def with_create_task() -> None:
    print("1. create_task: the tasks start when main suspends")
    task1 = asyncio.create_task(say_after(20, "hello"))
    task2 = asyncio.create_task(say_after(40, "world"))
    print("  main: created two tasks; neither has run yet")
    first = await task1  # main suspends here: both tasks start
    second = await task2
    print(f"  main: awaited the tasks: {first}, {second}")


async def with_gather() -> None:
    print("2. gather: the children are tasks at once and start when main next suspends")
    both = asyncio.gather(say_after(20, "hello"), say_after(40, "world"))
    print("  main: called gather; its tasks have not run yet")
    await asyncio.sleep(0)  # any suspension lets them start, not only awaiting the gather
    print("  main: after sleep(0), before awaiting the gather")
    first, second = await both
    print(f"  main: gather returned: {first}, {second}")


async def with_task_group() -> None:
    print("3. TaskGroup: async with exits when every child has finished")
    async with asyncio.TaskGroup() as tg:
        task1 = tg.create_task(say_after(20, "hello"))
        task2 = tg.create_task(say_after(40, "world"))
    print(f"  main: Both tasks have completed now: {task1.result()}, {task2.result()}")


async def main() -> None:
    await with_create_task()
    await with_gather()
    await with_task_group()


if __name__ == "__main__":
    asyncio.run(main())
