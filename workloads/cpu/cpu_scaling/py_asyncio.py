"""cpu/cpu_scaling in asyncio: W coroutines gathered on one event loop, as corio.cpp does.

``await asyncio.gather(*parts)``, with each part a coroutine that runs its share of the kernel
(py_kernels.run_part) and returns the checksum. A part never awaits anything, so the loop runs
each to its end before it starts the next: W tasks are concurrent in name only, and one thread
does all the work. That is the point of this model: asyncio gives no speed-up on CPU-bound
work, at any W; the asyncio docs send such work to an executor (py_processes is that pool).

cpu_time_ns is time.process_time_ns() around the gather: user + system CPU time of every thread
of this process, as register.cpp's with_cpu_time measures the C++ models'.
"""

import asyncio
import time

from model_protocol import serve_asyncio
from py_kernels import MASK, run_part


async def part(kernel: str, work: dict, index: int, parts: int) -> int:
    return run_part(kernel, work, index, parts)


async def main(params: dict) -> dict:
    kernel, work, workers = params["kernel"], params["work"], params["workers"]
    cpu_start = time.process_time_ns()
    checksums = await asyncio.gather(*(part(kernel, work, i, workers) for i in range(workers)))
    cpu_time_ns = time.process_time_ns() - cpu_start
    return {"checksum": sum(checksums) & MASK, "parts_done": len(checksums), "os_workers": 1,
            "cpu_time_ns": cpu_time_ns}


if __name__ == "__main__":
    serve_asyncio(main)
