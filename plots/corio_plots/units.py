"""Number formatting shared by tables and findings.

Findings quote numbers the way a person would say them: "31 ns", "12 ms", "1,000 s",
"13x", "1.93x", "96 B", "1.5 MiB", "100,000". Three significant digits at most, thousands
separated by commas, trailing zeros dropped.
"""

from __future__ import annotations

import math

_TIME_UNITS_NS: tuple[tuple[str, float], ...] = (
    ("s", 1e9),
    ("ms", 1e6),
    ("µs", 1e3),
    ("ns", 1.0),
)

# Google Benchmark's time_unit values and their length in nanoseconds.
GB_TIME_UNIT_NS: dict[str, float] = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def fmt_number(value: float) -> str:
    """3 significant digits, commas from 1,000 up: 31, 12.3, 0.456, 1,000, 100,000."""
    if math.isnan(value):
        return "n/a"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    magnitude = abs(value)
    if magnitude >= 100 or magnitude == 0:
        return f"{value:,.0f}"
    if magnitude >= 10:
        text = f"{value:.1f}"
    elif magnitude >= 1:
        text = f"{value:.2f}"
    else:
        digits = max(2, -math.floor(math.log10(magnitude)) + 2)
        text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def fmt_count(value: float) -> str:
    """An integer count with thousands separators: 100,000."""
    return f"{round(value):,}"


def fmt_duration_ns(ns: float) -> str:
    """A duration given in nanoseconds, in the largest unit that keeps it >= 1: 12 ms."""
    if math.isnan(ns):
        return "n/a"
    for unit, scale in _TIME_UNITS_NS:
        if abs(ns) >= scale:
            return f"{fmt_number(ns / scale)} {unit}"
    return f"{fmt_number(ns)} ns"


def fmt_ms(ms: float) -> str:
    return fmt_duration_ns(ms * 1e6)


def fmt_us(us: float) -> str:
    return fmt_duration_ns(us * 1e3)


def fmt_bytes(n: float) -> str:
    """Bytes in binary units: 96 B, 8 KiB, 1.5 MiB."""
    if math.isnan(n):
        return "n/a"
    for unit, scale in (("GiB", 2.0**30), ("MiB", 2.0**20), ("KiB", 2.0**10)):
        if abs(n) >= scale:
            return f"{fmt_number(n / scale)} {unit}"
    return f"{fmt_number(n)} B"


def fmt_ratio(ratio: float) -> str:
    """How many times bigger: 13x, 2.5x, 1.1x."""
    if math.isnan(ratio) or math.isinf(ratio):
        return "n/a"
    if ratio >= 10:
        return f"{ratio:,.0f}x"
    return f"{ratio:.1f}x"


# Two values whose ratio is within this of 1 are "about the same" in a finding.
SAME_TOLERANCE = 0.05


def fmt_times(ratio: float) -> str:
    """A ratio to a reference, both ways: 13x, 1.9x less (for 0.53), about the same (within
    SAME_TOLERANCE)."""
    if abs(ratio - 1) < SAME_TOLERANCE:
        return "about the same"
    if 0 < ratio < 1:
        return f"{fmt_ratio(1 / ratio)} less"
    return fmt_ratio(ratio)


def fmt_speedup(speedup: float) -> str:
    """A speed-up to two decimals: 1.93x."""
    return f"{speedup:.2f}x"


def fmt_rate(per_second: float, unit: str = "/s") -> str:
    """Operations per second: 95,000/s, 2.44 M/s; fmt_rate(9800, " req/s") -> 9,800 req/s."""
    if per_second >= 1e6:
        return f"{fmt_number(per_second / 1e6)} M{unit}"
    return f"{fmt_number(per_second)}{unit}"


REQ = " req/s"  # the unit requests per second are written with


def fmt_percent(fraction: float) -> str:
    return f"{fraction * 100:.0f}%"


def fmt_signed_percent(fraction: float) -> str:
    """A deviation from a prediction: +4%, -85%."""
    return f"{fraction * 100:+.0f}%"
