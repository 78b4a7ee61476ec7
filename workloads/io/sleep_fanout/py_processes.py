"""io/sleep_fanout with multiprocessing: a process per task, as processes.cpp forks one.

The idiom is ``Process(target=fetch_data, args=(i, reports))`` per task, start each, read the
N reports from one multiprocessing.Pipe, join each. The child sleeps D, sends its id (and, for
the first few, its own private memory) and returns; a report is one write of a few dozen
bytes, below PIPE_BUF, so the children's reports never interleave and need no lock. A pool
(ProcessPoolExecutor, multiprocessing.Pool) of P workers would queue the waits behind each
other, ceil(N / P)·D, as the thread_pool model shows for threads; a process per wait lets all
N overlap, which is what processes are for here.

Python 3.11's default start method on Linux, fork, is used: the parent is this small model
process, not corio-bench, so the children copy only the interpreter's page tables (what
processes.cpp needs a fork server for). A child that dies without reporting (or exits
non-zero) makes the result say so; every child is joined.

bytes_per_task as processes.cpp computes it: the parent's memory growth while it started the
N (task_memory.MemoryProbe: Process objects, pipes' buffers), over N, plus the mean private
memory (private resident pages + page tables, task_memory.own_private_memory_bytes) that the
first 4 children measured of themselves at the end of their wait.
"""

from __future__ import annotations

import multiprocessing
import time
from multiprocessing.connection import Connection

from model_protocol import serve
from task_memory import MemoryProbe, own_private_memory_bytes

SAMPLED_CHILDREN = 4


def fetch_data(task_id: int, delay: float, reports: Connection) -> None:
    time.sleep(delay)
    memory = own_private_memory_bytes() if task_id < SAMPLED_CHILDREN else -1
    reports.send((task_id, memory))


def work(params: dict) -> dict:
    start = time.perf_counter_ns()
    tasks, delay = params["tasks"], params["delay_ms"] / 1000
    reports, report = multiprocessing.Pipe(duplex=False)
    probe = MemoryProbe()
    children: list[multiprocessing.Process] = []
    error = ""
    try:
        for task_id in range(tasks):
            child = multiprocessing.Process(target=fetch_data, args=(task_id, delay, report))
            child.start()
            children.append(child)
    except OSError as refused:
        error = f"the OS refused process {len(children) + 1} of {tasks} ({refused})"
    parent_growth = probe.grown_bytes()

    completed, id_sum, sampled, sampled_bytes = 0, 0, 0, 0
    while completed < len(children):
        # A child that died before reporting would leave a plain recv() waiting forever: poll
        # returns as soon as a report is there, and every 0.1 s otherwise looks whether any
        # child is still alive to send one.
        if not reports.poll(0.1):
            if any(child.is_alive() for child in children) or reports.poll():
                continue
            break
        task_id, memory = reports.recv()
        completed += 1
        id_sum += task_id
        if memory >= 0:
            sampled += 1
            sampled_bytes += memory
    for child in children:
        child.join()
        if child.exitcode != 0 and not error:
            error = f"child process {child.name} exited with {child.exitcode}"
    memory_bytes = -1
    if sampled > 0 and tasks > 0:
        memory_bytes = parent_growth + sampled_bytes * tasks // sampled
    return {
        "completed": completed,
        "completed_id_sum": id_sum,
        "memory_bytes": memory_bytes,
        "elapsed_ns": time.perf_counter_ns() - start,
        "error": error,
    }


if __name__ == "__main__":
    serve(work)
