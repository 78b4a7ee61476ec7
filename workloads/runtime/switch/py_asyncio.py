"""runtime/switch in asyncio: two tasks take turns, ``switches`` steps in all.

The same shape as corio.cpp. via:yield: each step ends in ``await asyncio.sleep(0)``, which
puts the task behind every task already ready, here the other one (asyncio's documented way
to yield to the loop). via:event: two ``asyncio.Event``s; a task sets the other's event,
waits on its own, then clears it (an Event stays set until cleared), so every step is an
explicit wake-up of a task that really was waiting. The Tally records each step, so a model
whose tasks ran their loops back to back fails the check.
"""

import asyncio

from model_protocol import serve_asyncio


class Tally:
    """params.hpp's Tally: counts the steps, and those taken right after the other task's."""

    __slots__ = ("last", "steps", "handoffs")

    def __init__(self) -> None:
        self.last = -1  # no step yet, so the first step counts as a hand-off
        self.steps = 0
        self.handoffs = 0

    def step(self, task: int) -> None:
        if task != self.last:
            self.handoffs += 1
        self.last = task
        self.steps += 1


async def yielder(task: int, steps: int, tally: Tally) -> None:
    for _ in range(steps):
        tally.step(task)
        await asyncio.sleep(0)


# A: step, wake B, wait for B. B: wait for A, step, wake A.
async def pinger(steps: int, wake_b: asyncio.Event, wake_a: asyncio.Event, tally: Tally) -> None:
    for _ in range(steps):
        tally.step(0)
        wake_b.set()
        await wake_a.wait()
        wake_a.clear()


async def ponger(steps: int, wake_b: asyncio.Event, wake_a: asyncio.Event, tally: Tally) -> None:
    for _ in range(steps):
        await wake_b.wait()
        wake_b.clear()
        tally.step(1)
        wake_a.set()


async def main(params: dict) -> dict:
    tally = Tally()
    steps = params["switches"] // 2
    if params["via"] == "yield":
        a = asyncio.create_task(yielder(0, steps, tally))
        b = asyncio.create_task(yielder(1, steps, tally))
    elif params["via"] == "event":
        wake_a, wake_b = asyncio.Event(), asyncio.Event()
        a = asyncio.create_task(pinger(steps, wake_b, wake_a, tally))
        b = asyncio.create_task(ponger(steps, wake_b, wake_a, tally))
    else:
        raise ValueError(f"via:{params['via']} has no asyncio model (yield or event)")
    await a
    await b
    return {"steps": tally.steps, "handoffs": tally.handoffs}


if __name__ == "__main__":
    serve_asyncio(main)
