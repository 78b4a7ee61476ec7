"""runtime/timers in asyncio: N tasks each ``await asyncio.sleep(D)``, all at once.

The same shape as corio.cpp: N coroutines in tasks of one ``asyncio.TaskGroup`` (asyncio's
"start N, wait for all" idiom); an ``await asyncio.sleep(0)`` after creating them lets every
task run up to its sleep (the loop's ready queue is FIFO), RSS is sampled, and the
TaskGroup's exit joins them. A sleeping task is its Task, its coroutine and frame, the Future
asyncio.sleep parks on and the TimerHandle in the loop's heap (the default loop) or the
uv_timer_t behind uvloop's TimerHandle.

Lateness, params.hpp's definition: a task reads CLOCK_MONOTONIC (``time.monotonic_ns()``,
the clock of asyncio's ``loop.time()`` and of steady_clock) right before ``asyncio.sleep(D)``
and adds D; first thing after the sleep it reads the clock again, and the difference is its
lateness. As in LatenessSlots the deadline and then the lateness live in one slot per task,
here an ``array('q')`` allocated and written in full before the RSS baseline (no int object
per slot, so a sleeping task is no larger than without the measurement).

The default loop computes a sleep's deadline as ``loop.time() + D`` inside asyncio.sleep,
after the task's own reading, and fires a timer only once ``loop.time()`` has passed its
deadline minus the clock's resolution (1 ns): no timer may wake early. uvloop counts D from
libuv's loop time, whole milliseconds (it updates that time when it starts the timer, then
truncates it to the millisecond), so its timers can fire up to 1 ms before the task's
deadline: py_uvloop reports may_fire_early, like libuv's model.

bytes_per_task is RSS growth, the C++ models' figure, measured as runtime/task_memory's
py_asyncio does with workloads/common/python/memory.py (see there for why RSS and not
tracemalloc): gc.collect() and malloc_trim(0) before the baseline, malloc_trim(0) alone before
the sample (a collection there delays the timers that follow it; see main()).
"""

import asyncio
import time
from array import array

from memory import settled_rss_bytes
from model_protocol import serve_asyncio

NOT_ARMED = -(2**63)  # LatenessSlots::kNotArmed

# Whether this loop's timers may wake before the task's own deadline (py_uvloop sets it).
MAY_FIRE_EARLY = False


class Tally:
    __slots__ = ("asleep", "fired", "fired_id_sum", "last_wake_ns")

    def __init__(self) -> None:
        self.asleep = 0
        self.fired = 0
        self.fired_id_sum = 0
        self.last_wake_ns = 0


async def sleeper(task_id: int, sleep_ns: int, sleep_s: float, slots: array, tally: Tally) -> None:
    tally.asleep += 1
    slots[task_id] = time.monotonic_ns() + sleep_ns
    await asyncio.sleep(sleep_s)
    now = time.monotonic_ns()
    slots[task_id] = now - slots[task_id]
    tally.last_wake_ns = now  # one thread: wakes come in clock order
    tally.fired += 1
    tally.fired_id_sum += task_id


async def main(params: dict) -> dict:
    tasks = params["tasks"]
    sleep_ns = params["sleep_ms"] * 1_000_000
    sleep_s = params["sleep_ms"] / 1000
    slots = array("q", [NOT_ARMED]) * tasks  # before the RSS baseline: not the tasks' memory
    tally = Tally()
    baseline = settled_rss_bytes()
    start_ns = time.monotonic_ns()
    async with asyncio.TaskGroup() as group:
        for task_id in range(tasks):
            group.create_task(sleeper(task_id, sleep_ns, sleep_s, slots, tally))
        await asyncio.sleep(0)  # every task created runs first, up to its sleep
        # No collection here, with the timers armed: under uvloop one made the p99 lateness of
        # 100,000 timers 228-234 ms instead of 7.4 (the next full collection fell among the
        # wake-ups), while the bytes per task moved by 0.2 in 2,025.
        rss_delta_bytes = settled_rss_bytes(collect_garbage=False) - baseline
        asleep_at_sample, awake_at_sample = tally.asleep, tally.fired
    return {
        "fired": tally.fired,
        "fired_id_sum": tally.fired_id_sum,
        "asleep_at_sample": asleep_at_sample,
        "awake_at_sample": awake_at_sample,
        "rss_delta_bytes": rss_delta_bytes,
        "lateness_ns": slots.tolist(),
        "may_fire_early": MAY_FIRE_EARLY,
        "elapsed_ns": tally.last_wake_ns - start_ns,
        "error": "",
    }


if __name__ == "__main__":
    serve_asyncio(main)
