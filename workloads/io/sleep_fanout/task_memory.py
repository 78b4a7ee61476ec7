"""bytes_per_task's measurements for the Python models of io/sleep_fanout, by the definitions
the C++ models use (params.hpp's MemoryProbe, harness/bytes_per_task.hpp's rss_or_heap; the
processes model's children as fork_server.cpp's).

    MemoryProbe            made right before the first task; grown_bytes() once all N wait:
                           max(RSS growth, growth of malloc's bytes in use), no trim
    own_private_memory_bytes()
                           a child process's private resident pages (Private_Clean +
                           Private_Dirty of /proc/self/smaps_rollup) plus its page tables
                           (VmPTE): what it holds that it shares with no other process

CPython's small objects (a task, a coroutine and its frame, a timer handle: all under 512
bytes) live in pymalloc's arenas, mmap'd 1 MiB at a time and unmapped once wholly empty, so
they show in the RSS growth; free pools in arenas still partly used are reused unseen, as
malloc's free blocks would be for RSS. Larger blocks and thread state come from malloc, which
mallinfo2 counts.
Each figure is a lower bound of what the tasks hold, so the larger is taken.
"""

from __future__ import annotations

import ctypes
import os

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


_libc = ctypes.CDLL(None)
_libc.mallinfo2.restype = _MallInfo2


def rss_bytes() -> int:
    """The resident set now (/proc/self/statm's second field, in pages)."""
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[1]) * _PAGE_SIZE


def heap_in_use_bytes() -> int:
    """malloc's bytes in use: small blocks (uordblks) plus mmap'd large ones (hblkhd)."""
    info = _libc.mallinfo2()
    return info.uordblks + info.hblkhd


class MemoryProbe:
    """Takes its baseline when made; grown_bytes() is the growth since (never negative)."""

    def __init__(self) -> None:
        self._rss = rss_bytes()
        self._heap = heap_in_use_bytes()

    def grown_bytes(self) -> int:
        return max(0, rss_bytes() - self._rss, heap_in_use_bytes() - self._heap)


def _sum_kib(path: str, keys: tuple[str, ...]) -> int:
    total = 0
    with open(path) as lines:
        for line in lines:
            if line.startswith(keys):
                total += int(line.split()[1])
    return total


def own_private_memory_bytes() -> int:
    """This process's private resident pages and page tables (see the module's comment)."""
    private_kib = _sum_kib("/proc/self/smaps_rollup", ("Private_Clean:", "Private_Dirty:"))
    page_table_kib = _sum_kib("/proc/self/status", ("VmPTE:",))
    return (private_kib + page_table_kib) * 1024
