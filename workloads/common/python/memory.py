"""The memory figures the Python models measure as the C++ models do (params.hpp's MemoryProbe,
MemoryGrowth::rss_after_trim; runtime/task_memory, runtime/timers), as rust/memory.rs and
go/memory do for theirs: resident set size from /proc/self/statm, like
harness::current_rss_bytes, and readings taken after ``gc.collect()`` and glibc's
``malloc_trim(0)`` (through ctypes), like harness::settled_rss_bytes.

RSS rather than tracemalloc: it covers every kind of memory a model takes (pymalloc's arenas,
malloc'd blocks, containers as they grow), as it does for corio's frames and a thread's stack,
while tracemalloc sees only Python's allocators and slows every allocation it traces.
"""

from __future__ import annotations

import ctypes
import gc
import os

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
_LIBC = ctypes.CDLL(None)


def current_rss_bytes() -> int:
    """Resident set size now: /proc/self/statm's second field (pages), in bytes."""
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[1]) * _PAGE_SIZE


def settled_rss_bytes(collect_garbage: bool = True) -> int:
    """harness::settled_rss_bytes for Python: RSS once garbage is collected (so that none of
    the set-up's is freed during a measurement) and freed heap memory is handed back to the
    kernel. ``collect_garbage=False`` skips the collection, for a reading taken while the
    measured work is under way: a full collection then changes when the collector runs next
    (runtime/timers/py_asyncio.py says by how much)."""
    if collect_garbage:
        gc.collect()
    _LIBC.malloc_trim(0)
    return current_rss_bytes()
