"""cpu/cpu_scaling on threads: a ThreadPoolExecutor of W threads, one part each.

``with ThreadPoolExecutor(max_workers=W) as pool: pool.map(run_part, ...)``: the thread-per-part
program (threads.cpp's shape) as Python writes it. The threads are real OS threads, but
CPython's global interpreter lock lets one of them run Python bytecode at a time, handing it
over every 5 ms (sys.getswitchinterval()), so W threads on C cores still do the work about one
core's worth at a time: the speed-up stays near 1x at every W, where C++'s threads reach C.
The pool is made per call, as threads.cpp starts its threads per call: starting a Python thread
costs about 0.1 ms beside a call of several hundred.

os_workers counts the distinct threads that ran a part (threading.get_ident() returned with each
checksum): the pool starts a thread per submit while its threads are busy, so it is W unless a
thread finished a part before the pool was fully staffed. cpu_time_ns is
time.process_time_ns() around the pool's whole life: every thread of this process.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from model_protocol import serve
from py_kernels import MASK, run_part


def part(kernel: str, work: dict, index: int, parts: int) -> tuple[int, int]:
    return run_part(kernel, work, index, parts), threading.get_ident()


def work(params: dict) -> dict:
    kernel, work_, workers = params["kernel"], params["work"], params["workers"]
    cpu_start = time.process_time_ns()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        done = list(pool.map(part, [kernel] * workers, [work_] * workers, range(workers),
                             [workers] * workers))
    cpu_time_ns = time.process_time_ns() - cpu_start
    return {"checksum": sum(checksum for checksum, _ in done) & MASK, "parts_done": len(done),
            "os_workers": len({thread for _, thread in done}), "cpu_time_ns": cpu_time_ns}


if __name__ == "__main__":
    serve(work)
