"""cpu/cpu_scaling's three kernels in pure Python, bit for bit those of kernels.hpp.

The Python models (py_asyncio, py_threads, py_processes) all call ``run_part`` here, as the C++
models all call kernels::run_part, so that they differ only in how they run the parts. A part's
checksum is the same number the C++ computes for the same Work: W::check compares the models'
combined checksum with kernels::run_part's own, so a kernel that drifted from the C++ fails
every run.

C++'s uint64_t wraps; Python's int does not, so every sum and product that may pass 2**64 is
masked with ``& MASK``. Mandelbrot is IEEE double arithmetic in the same order as the C++
(x86-64 without -march: no fused multiply-add), so its iteration counts are the same.

``work`` is the workload's Work as JSON (json.hpp): units, fib_n, hash_rounds, mandel_width,
mandel_max_iterations.
"""

from __future__ import annotations

from model_protocol import import_or_explain

MASK = (1 << 64) - 1

# --- fib: recursive Fibonacci, a function call per node ---


def fib(n: int) -> int:
    return n if n < 2 else fib(n - 1) + fib(n - 2)


# --- hash: 64-bit FNV-1a, one byte at a time ---

FNV1A_OFFSET_BASIS = 0xCBF29CE484222325
FNV1A_PRIME = 0x100000001B3
HASH_BUFFER_COUNT = 256
HASH_BUFFER_BYTES = 4096


def fnv1a(buffer: bytes, hash_: int) -> int:
    for byte in buffer:
        hash_ = ((hash_ ^ byte) * FNV1A_PRIME) & MASK
    return hash_


# The FNV reference vectors kernels.hpp asserts too.
assert fnv1a(b"", FNV1A_OFFSET_BASIS) == 0xCBF29CE484222325
assert fnv1a(b"a", FNV1A_OFFSET_BASIS) == 0xAF63DC4C8601EC8C
assert fnv1a(b"foobar", FNV1A_OFFSET_BASIS) == 0x85944171F73967E8


def _make_hash_buffers() -> list[bytes]:
    """kernels::hash_buffers(): 256 buffers of 4 KiB from splitmix64 with its fixed seed.

    Vectorised with numpy's wrapping uint64 arithmetic: kernels.hpp's loop written in pure
    Python (checked equal) takes 1-2 s for these 1 Mi steps, paid again by every model process
    corio-bench starts. A wrong byte would change every hash checksum, and W::check with it.
    """
    numpy = import_or_explain("numpy")
    step = numpy.uint64(0x9E3779B97F4A7C15)
    count = HASH_BUFFER_COUNT * HASH_BUFFER_BYTES
    with numpy.errstate(over="ignore"):
        # byte i comes from the state after i + 1 steps from the seed, which is the step itself
        z = numpy.arange(2, count + 2, dtype=numpy.uint64) * step
        z = (z ^ (z >> numpy.uint64(30))) * numpy.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> numpy.uint64(27))) * numpy.uint64(0x94D049BB133111EB)
        z = z ^ (z >> numpy.uint64(31))
    data = (z & numpy.uint64(0xFF)).astype(numpy.uint8).tobytes()
    return [data[i * HASH_BUFFER_BYTES:(i + 1) * HASH_BUFFER_BYTES]
            for i in range(HASH_BUFFER_COUNT)]


# Built at import (tens of milliseconds, before the model says ready) and read-only afterwards:
# a process pool's forked workers inherit it instead of building their own.
HASH_BUFFERS = _make_hash_buffers()

# --- mandelbrot: escape-time iteration counts of [-2.2, 0.8] x [-1.2, 1.2] ---


def mandelbrot_iterations(cx: float, cy: float, max_iterations: int) -> int:
    x = y = 0.0
    i = 0
    while i < max_iterations and x * x + y * y <= 4.0:
        x, y = x * x - y * y + cx, 2.0 * x * y + cy
        i += 1
    return i


assert mandelbrot_iterations(0, 0, 100) == 100
assert mandelbrot_iterations(2, 2, 100) == 1
assert mandelbrot_iterations(-1, 0, 100) == 100


def mandelbrot_row(row: int, rows: int, width: int, max_iterations: int) -> int:
    x_min, x_max, y_min, y_max = -2.2, 0.8, -1.2, 1.2
    cy = y_min + (y_max - y_min) * (row + 0.5) / rows
    return sum(
        mandelbrot_iterations(x_min + (x_max - x_min) * (column + 0.5) / width, cy, max_iterations)
        for column in range(width))


# --- the share of one part ---


def run_part(kernel: str, work: dict, part: int, parts: int) -> int:
    """Part ``part`` of ``parts``: its units' checksum, as kernels::run_part computes it."""
    units = work["units"]
    per_part = units // parts
    checksum = 0
    if kernel == "fib":
        n = work["fib_n"]
        for _ in range(part * per_part, (part + 1) * per_part):
            checksum += fib(n)
    elif kernel == "hash":
        rounds = work["hash_rounds"]
        for unit in range(part * per_part, (part + 1) * per_part):
            buffer = HASH_BUFFERS[unit % HASH_BUFFER_COUNT]
            hash_ = FNV1A_OFFSET_BASIS ^ unit
            for _ in range(rounds):
                hash_ = fnv1a(buffer, hash_)
            checksum += hash_
    elif kernel == "mandelbrot":
        width = work["mandel_width"]
        max_iterations = work["mandel_max_iterations"]
        for row in range(part, units, parts):
            checksum += (row + 1) * mandelbrot_row(row, units, width, max_iterations)
    else:
        raise ValueError(f"unknown kernel {kernel!r}: fib, hash or mandelbrot")
    return checksum & MASK
