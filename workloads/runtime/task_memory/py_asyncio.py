"""runtime/task_memory in asyncio: N idle tasks, each awaiting one shared ``asyncio.Event``.

The same shape as corio.cpp: N coroutines ``await release.wait()`` in tasks of one
``asyncio.TaskGroup``; an ``await asyncio.sleep(0)`` after creating them lets every task run
up to its wait (the loop's ready queue is FIFO), RSS is sampled, then ``release.set()`` and
the TaskGroup's exit joins them all. An idle task is its Task object, its coroutine and frame,
the Future that Event.wait() parks on (in the Event's deque of waiters), its entry in the
TaskGroup's set and in asyncio's weak set of all tasks.

bytes_per_task is the C++ models' figure, RSS growth (params.hpp's MemoryProbe,
MemoryGrowth::rss_after_trim), not tracemalloc's: RSS covers every kind of memory the tasks
take (pymalloc's arenas, malloc'd blocks, the ready queue and sets as they grow), as it does
for corio's frames and a thread's stack, while tracemalloc sees only Python's allocators and
slows every allocation it traces. Both readings are workloads/common/python/memory.py's
settled_rss_bytes, RSS after ``gc.collect()`` (so no garbage of the set-up is freed during the
measurement, and none is counted as the tasks') and ``malloc_trim(0)`` (what the C++ readings
do), read from /proc/self/statm like harness::current_rss_bytes.
"""

import asyncio
import time

from memory import settled_rss_bytes
from model_protocol import serve_asyncio


class Tally:
    __slots__ = ("waiting", "finished")

    def __init__(self) -> None:
        self.waiting = 0
        self.finished = 0


async def idle_task(release: asyncio.Event, tally: Tally) -> None:
    tally.waiting += 1
    await release.wait()
    tally.finished += 1


async def main(params: dict) -> dict:
    tasks = params["tasks"]
    tally = Tally()
    release = asyncio.Event()
    baseline = settled_rss_bytes()
    async with asyncio.TaskGroup() as group:
        creating = time.perf_counter_ns()
        for _ in range(tasks):
            group.create_task(idle_task(release, tally))
        await asyncio.sleep(0)  # every task created runs first, up to its wait
        creation_ns = time.perf_counter_ns() - creating
        rss_delta_bytes = settled_rss_bytes() - baseline
        waiting_at_sample, finished_at_sample = tally.waiting, tally.finished
        release.set()
    return {
        "waiting_at_sample": waiting_at_sample,
        "finished_at_sample": finished_at_sample,
        "finished": tally.finished,
        "rss_delta_bytes": rss_delta_bytes,
        "creation_ns": creation_ns,
        "error": "",
    }


if __name__ == "__main__":
    serve_asyncio(main)
