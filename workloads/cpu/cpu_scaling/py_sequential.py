"""cpu/cpu_scaling's Python baseline: the whole work as one part, a plain loop on one thread.

sequential.cpp in Python, with no concurrency machinery at all: the Python rows' speed-up is
this run's time for the kernel over theirs (the Python Work is smaller than the C++ one, so
C++'s sequential is no baseline for them). cpu_time_ns is time.process_time_ns() around it.
"""

import time

from model_protocol import serve
from py_kernels import MASK, run_part


def work(params: dict) -> dict:
    kernel, work_, workers = params["kernel"], params["work"], params["workers"]
    cpu_start = time.process_time_ns()
    checksum = 0
    for part in range(workers):
        checksum = (checksum + run_part(kernel, work_, part, workers)) & MASK
    return {"checksum": checksum, "parts_done": workers, "os_workers": 1,
            "cpu_time_ns": time.process_time_ns() - cpu_start}


if __name__ == "__main__":
    serve(work)
