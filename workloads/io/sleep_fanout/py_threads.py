"""io/sleep_fanout with Python threads: a thread per task, each blocking in time.sleep(D), as
threads.cpp does with std::thread.

The idiom is ``threads = [Thread(target=fetch_data, args=(i,)) for i in range(n)]``, start
each, join each: a blocking sleep releases the GIL, so N threads overlap N waits. (A
ThreadPoolExecutor of its default min(32, cores + 4) workers would queue the waits behind each
other, ceil(N / P)·D: the thread_pool model shows that shape.) Each thread appends its id to
one list (list.append is atomic under the GIL) after its sleep, and counts down a "started"
counter right before it: once every thread has started, the main thread samples memory
(task_memory.MemoryProbe: the threads' touched stack pages, their thread state and Thread
objects). As with threads.cpp, from N = 1,000 at D = 10 ms starting the threads takes longer
than D, so the first have finished before the last starts; a finished thread that is not yet
joined keeps its stack.

If the OS refuses a thread (RuntimeError: can't start new thread), the threads already
started finish and the result says which thread was refused, as threads.cpp does.
"""

from __future__ import annotations

import threading
import time

from model_protocol import serve
from task_memory import MemoryProbe


class StartedLatch:
    """std::latch's count_down / wait: threads count down without waiting for each other."""

    def __init__(self, count: int) -> None:
        self._left = count
        self._all_started = threading.Condition()

    def count_down(self) -> None:
        with self._all_started:
            self._left -= 1
            if self._left == 0:
                self._all_started.notify_all()

    def wait(self) -> None:
        with self._all_started:
            self._all_started.wait_for(lambda: self._left == 0)


def fetch_data(task_id: int, delay: float, started: StartedLatch, completed: list[int]) -> None:
    started.count_down()
    time.sleep(delay)
    completed.append(task_id)


def work(params: dict) -> dict:
    start = time.perf_counter_ns()
    tasks, delay = params["tasks"], params["delay_ms"] / 1000
    probe = MemoryProbe()
    started = StartedLatch(tasks)
    completed: list[int] = []
    threads: list[threading.Thread] = []
    error, memory_bytes = "", -1
    try:
        for task_id in range(tasks):
            thread = threading.Thread(target=fetch_data,
                                      args=(task_id, delay, started, completed))
            thread.start()
            threads.append(thread)
        started.wait()
        memory_bytes = probe.grown_bytes()
    except RuntimeError as refused:
        error = (f"the OS refused thread {len(threads) + 1} of {tasks} ({refused}): this "
                 f"machine's limits (ulimit -u, ulimit -v, vm.max_map_count) allow fewer")
    for thread in threads:
        thread.join()
    return {
        "completed": len(completed),
        "completed_id_sum": sum(completed),
        "memory_bytes": memory_bytes,
        "elapsed_ns": time.perf_counter_ns() - start,
        "error": error,
    }


if __name__ == "__main__":
    serve(work)
