"""Repetitions: a value's median and spread, the unstable mark, and "within noise".

Every figure of the report is the median over a benchmark's repetitions with its spread, the
min–max of the repetitions (with 3 repetitions an interquartile range says nothing the
min–max does not). A value whose min–max exceeds UNSTABLE_SPREAD of its median is marked
unstable. Two models are ranked only when their min–max intervals do not overlap; when they
overlap they are "within noise". With a single repetition there is no spread: the value is a
single sample and no ranking can be checked across repetitions.

    >>> a, b = Stat.of([30.4, 31.0, 31.6]), Stat.of([118.0, 120.0, 122.0])
    >>> overlap(a, b), a.unstable
    (False, False)
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

# A value whose max - min exceeds this fraction of its median is unstable.
UNSTABLE_SPREAD = 0.10
SPREAD_KIND = "min–max"


@dataclass(frozen=True)
class Stat:
    """The median of n repetitions and their range [lo, hi]; n = 1: a single sample."""

    median: float
    lo: float
    hi: float
    n: int = 1

    @classmethod
    def of(cls, values: Iterable[float]) -> Stat:
        xs = list(values)
        if not xs:
            raise ValueError("Stat.of needs at least one value")
        return cls(median=statistics.median(xs), lo=min(xs), hi=max(xs), n=len(xs))

    @classmethod
    def single(cls, value: float) -> Stat:
        return cls(median=value, lo=value, hi=value, n=1)

    @property
    def repeated(self) -> bool:
        """True when there are repetitions to take a spread over."""
        return self.n >= 2

    @property
    def spread(self) -> float:
        return self.hi - self.lo

    @property
    def relative_spread(self) -> float:
        """(max - min) / |median|: 0 for a single sample, inf for a spread around 0."""
        if self.spread == 0:
            return 0.0
        return self.spread / abs(self.median) if self.median else math.inf

    @property
    def unstable(self) -> bool:
        return self.repeated and self.relative_spread > UNSTABLE_SPREAD

    def map(self, fn: Callable[[float], float]) -> Stat:
        """The same repetitions through a monotone function (1e9 / x swaps lo and hi)."""
        a, b = fn(self.lo), fn(self.hi)
        return Stat(median=fn(self.median), lo=min(a, b), hi=max(a, b), n=self.n)

    def scaled(self, factor: float) -> Stat:
        return self.map(lambda v: v * factor)


def overlap(a: Stat, b: Stat) -> bool:
    """True when the two min–max intervals share a point."""
    return a.lo <= b.hi and b.lo <= a.hi


def single_sample(stats: Iterable[Stat]) -> bool:
    """True when any of them has no repetitions: no ranking among them can be checked."""
    return any(not s.repeated for s in stats)


def within_noise(a: Stat, b: Stat) -> bool:
    """True when both have repetitions and their intervals overlap: they are not ranked."""
    return a.repeated and b.repeated and overlap(a, b)


def noise_groups(entries: Sequence[tuple[str, Stat]]) -> list[list[str]]:
    """Labels whose intervals overlap, chained (a~b, b~c: one group), each group of two or
    more in median order; every entry must have repetitions to be grouped."""
    ordered = sorted((e for e in entries if e[1].repeated), key=lambda e: e[1].median)
    groups: list[list[str]] = []
    current: list[tuple[str, Stat]] = []
    top = -math.inf
    for label, s in ordered:
        if current and s.lo <= top:
            current.append((label, s))
            top = max(top, s.hi)
            continue
        if len(current) >= 2:
            groups.append([lab for lab, _ in current])
        current, top = [(label, s)], s.hi
    if len(current) >= 2:
        groups.append([lab for lab, _ in current])
    return groups


def ranking_verdict(entries: Sequence[tuple[str, Stat]]) -> str:
    """What a ranking of these entries is worth, as a clause for its sentence."""
    if len(entries) < 2:
        return ""
    if single_sample(s for _, s in entries):
        return "single sample: this order is not checked across repetitions"
    groups = noise_groups(entries)
    if not groups:
        return (f"the order holds across repetitions (no two {SPREAD_KIND} intervals "
                "overlap)")
    listed = "; ".join(" ≈ ".join(g) for g in groups)
    return f"within noise, not ranked ({SPREAD_KIND} intervals overlap): {listed}"


def join_range(lo_text: str, hi_text: str) -> str:
    """'11.8 ms', '12.2 ms' -> '11.8–12.2 ms'; different units stay whole."""
    lo_num, _, lo_unit = lo_text.rpartition(" ")
    hi_num, _, hi_unit = hi_text.rpartition(" ")
    if lo_num and hi_num and lo_unit == hi_unit:
        return f"{lo_num}–{hi_text}"
    return f"{lo_text}–{hi_text}"


def fmt_stat(s: Stat, fmt: Callable[[float], str], mark_unstable: bool = True) -> str:
    """A table cell: '12 ms (11.8–12.2 ms)', ', unstable' appended when it is; a single
    sample is its value alone."""
    text = fmt(s.median)
    if not s.repeated:
        return text
    text += f" ({join_range(fmt(s.lo), fmt(s.hi))}"
    if mark_unstable and s.unstable:
        text += ", unstable"
    return text + ")"


def fmt_value(s: Stat, fmt: Callable[[float], str], *notes: str) -> str:
    """A value quoted in a finding: the median, with '(unstable)' when it is, and ``notes``
    in the same parentheses: '420 B (unstable, 2.8x)'."""
    inside = (["unstable"] if s.unstable else []) + [n for n in notes if n]
    return fmt(s.median) + (f" ({', '.join(inside)})" if inside else "")


def errorbar(stats: Sequence[Stat | None]) -> list[list[float]] | None:
    """matplotlib's yerr/xerr (below, above the median) from min–max; None when no value has
    a spread (single samples draw no bar)."""
    below = [s.median - s.lo if s is not None else 0.0 for s in stats]
    above = [s.hi - s.median if s is not None else 0.0 for s in stats]
    if not any(below) and not any(above):
        return None
    return [below, above]
