"""io/pipeline's items for the Python models, bit for bit params.hpp's: a record is 256
bytes, its id then 31 words of splitmix64 seeded by the id, all little-endian uint64 (the
C++ Record's memory layout on x86-64 and arm64), and a consumer's work is FNV-1a over the
256 bytes. So the Python models' checksums are the ones check() expects.

    make_record(id) -> bytes       the producer's item
    record_id(record) -> int       its id, read back
    Tally                          a consumer's count, id sum and checksum (sums wrap at 2**64)
"""

from __future__ import annotations

import struct

MASK = (1 << 64) - 1
_RECORD = struct.Struct("<32Q")
_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3


def make_record(record_id: int) -> bytes:
    words = [record_id]
    state = record_id
    for _ in range(31):
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        words.append(z ^ (z >> 31))
    return _RECORD.pack(*words)


def record_id(record: bytes) -> int:
    return int.from_bytes(record[:8], "little")


def hash_record(record: bytes) -> int:
    """FNV-1a over the record's bytes, each step depending on the last."""
    value = _FNV_OFFSET
    for byte in record:
        value = ((value ^ byte) * _FNV_PRIME) & MASK
    return value


class Tally:
    """What one consumer did; the model adds its consumers' tallies up at the end."""

    def __init__(self) -> None:
        self.consumed = 0
        self.id_sum = 0
        self.checksum = 0

    def consume(self, record: bytes) -> None:
        self.consumed += 1
        self.id_sum = (self.id_sum + record_id(record)) & MASK
        self.checksum = (self.checksum + hash_record(record)) & MASK


def result_of(tallies: list[Tally], queue_full_stalls: int, workers: int) -> dict:
    """The Result check() reads (json.hpp): every consumer's tally added up."""
    return {
        "consumed": sum(t.consumed for t in tallies),
        "id_sum": sum(t.id_sum for t in tallies) & MASK,
        "checksum": sum(t.checksum for t in tallies) & MASK,
        "queue_full_stalls": queue_full_stalls,
        "workers": workers,
    }
