"""cpu/cpu_scaling on processes: W parts submitted to a ProcessPoolExecutor of one worker per core.

``pool.map(run_part, ...)`` over a pool made once, when this model's process starts, and kept
for every call: that is how a Python program uses a process pool (creating one costs a fork per
worker and its first task's round trip, tens of milliseconds that a long-lived program pays
once), and it keeps the pool's start out of the timed work, like the interpreter's own start.
Each worker is a separate interpreter with its own GIL, so the parts run in parallel and the
speed-up approaches the core count, less the cost of sending each part's arguments and result
through the pool's pipes (pickled; a few hundred bytes per part). So W parts on C workers run C
at a time: the shape of thread_pool.cpp with processes, not processes.cpp's fork per part.

The workers are forked ("fork" named, since Python 3.14 changes the default to forkserver)
before any other thread exists, and inherit the imported kernels and their hash buffers.

os_workers counts the distinct worker processes that ran a part (each part returns its pid).
cpu_time_ns is this process's time.process_time_ns() (every thread, the pool's feeder threads
included) plus each worker's CPU time over the call, from /proc/<pid>/schedstat's first field
(nanoseconds on a CPU): the C++ processes model adds its children's from wait4 the same way,
but pool workers live on, so they are read, not reaped.
"""

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor

from model_protocol import serve
from py_kernels import MASK, run_part


def part(kernel: str, work: dict, index: int, parts: int) -> tuple[int, int]:
    return run_part(kernel, work, index, parts), os.getpid()


def workers_cpu_ns() -> int:
    """The CPU time the pool's live workers have used so far, in nanoseconds."""
    total = 0
    for child in multiprocessing.active_children():
        with open(f"/proc/{child.pid}/schedstat") as schedstat:
            total += int(schedstat.read().split()[0])
    return total


def make_work(pool: ProcessPoolExecutor):
    def work(params: dict) -> dict:
        kernel, work_, workers = params["kernel"], params["work"], params["workers"]
        cpu_start = time.process_time_ns() + workers_cpu_ns()
        done = list(pool.map(part, [kernel] * workers, [work_] * workers, range(workers),
                             [workers] * workers))
        cpu_time_ns = time.process_time_ns() + workers_cpu_ns() - cpu_start
        return {"checksum": sum(checksum for checksum, _ in done) & MASK,
                "parts_done": len(done), "os_workers": len({pid for _, pid in done}),
                "cpu_time_ns": cpu_time_ns}
    return work


def main() -> None:
    cores = os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=cores,
                             mp_context=multiprocessing.get_context("fork")) as pool:
        # The "fork" pool starts every worker at its first task: done here, before ready.
        pool.submit(os.getpid).result()
        serve(make_work(pool))


if __name__ == "__main__":
    main()
