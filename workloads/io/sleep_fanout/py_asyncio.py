"""io/sleep_fanout in asyncio: the seed's fetch_data, as the asyncio docs write it.

Each task is a coroutine that awaits asyncio.sleep(D) and returns its id (the "data"); main
awaits all N with ``asyncio.gather(*(fetch_data(i) for i in range(n)))``, as corio.cpp does
with corio::gather. gather wraps each coroutine in a Task, scheduled in order; the loop runs
every one of them up to its sleep in the same iteration, before any timer can fire, so when
the last task starts the other N - 1 wait: that task samples memory before its own sleep
(task_memory.MemoryProbe, made right before the first task: its Task, coroutine, frame and
timer handle, and gather's future and callback for it). One thread: a plain counter object.

elapsed runs from main's entry to every task done (the loop's creation is in the harness's
time, not in elapsed).
"""

from __future__ import annotations

import asyncio
import time

from model_protocol import serve_asyncio
from task_memory import MemoryProbe


class Tally:
    def __init__(self, tasks: int, probe: MemoryProbe) -> None:
        self.tasks = tasks
        self.started = 0
        self.completed = 0
        self.memory_bytes = -1
        self.probe = probe


async def fetch_data(task_id: int, delay: float, tally: Tally) -> int:
    tally.started += 1
    if tally.started == tally.tasks:
        tally.memory_bytes = tally.probe.grown_bytes()  # the others already wait
    await asyncio.sleep(delay)
    tally.completed += 1
    return task_id


async def main(params: dict) -> dict:
    start = time.perf_counter_ns()
    tasks, delay = params["tasks"], params["delay_ms"] / 1000
    tally = Tally(tasks, MemoryProbe())
    ids = await asyncio.gather(*(fetch_data(i, delay, tally) for i in range(tasks)))
    return {
        "completed": tally.completed,
        "completed_id_sum": sum(ids),
        "memory_bytes": tally.memory_bytes,
        "elapsed_ns": time.perf_counter_ns() - start,
    }


if __name__ == "__main__":
    serve_asyncio(main)
