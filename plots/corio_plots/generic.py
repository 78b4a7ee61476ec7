"""A table for any workload, straight from its measurements, and ranking findings (used by
http_fanout's and pipeline's charts, and for any workload without a chart).

Columns: model, parameters, real time, time per operation (1 / items_per_second, written in
ns, µs or ms) when the run reports items_per_second, then every counter the runs report: the
schema's first, in its order, then any others alphabetically. Each cell is the median over
repetitions with its min–max; the real time carries the row's unstable mark. blocking_in_loop's CDF counters are left to its chart.
"""

from __future__ import annotations

from corio_plots import schema
from corio_plots.load import CPU_TIME_NS, REAL_TIME_NS, Measurement, Results
from corio_plots.stats import Stat, fmt_value, noise_groups, ranking_verdict, within_noise
from corio_plots.table import Table, stat_cell
from corio_plots.units import (fmt_bytes, fmt_count, fmt_duration_ns, fmt_ms, fmt_number,
                               fmt_rate, fmt_us)

_SKIP = {REAL_TIME_NS, CPU_TIME_NS, *schema.CDF_COUNTERS}
_COUNTS = (schema.ERRORS, schema.QUEUE_FULL_STALLS, schema.CTX_VOLUNTARY, schema.CTX_INVOLUNTARY)

# The counter each chartless workload is ranked by, best first: the first one its runs report.
RANKED_BY: dict[str, tuple[str, ...]] = {
    # requests_per_second runs from the first request to the last answer; items_per_second
    # includes setting up and tearing down the client.
    "io/http_fanout": (schema.REQUESTS_PER_SECOND, schema.ITEMS_PER_SECOND),
    "io/pipeline": (schema.ITEMS_PER_SECOND,),
}


def fmt_counter(name: str, value: float) -> str:
    """A counter's value in its unit, by the naming convention of the contract."""
    if name.endswith("_bytes") or name == schema.BYTES_PER_TASK:
        return fmt_bytes(value)
    if name.endswith("_us"):
        return fmt_us(value)
    if name.endswith("_ms"):
        return fmt_ms(value)
    if schema.is_rate(name):
        return fmt_rate(value)
    if name in _COUNTS:
        return fmt_count(value)
    return fmt_number(value)


def _counter_columns(ms: list[Measurement]) -> list[str]:
    present: dict[str, None] = {}
    for m in ms:
        for metric in m.metrics():
            if metric not in _SKIP:
                present.setdefault(metric, None)
    known = [c for c in schema.COUNTERS if c in present]
    return known + sorted(c for c in present if c not in schema.COUNTERS)


def table(results: Results, key: str) -> Table | None:
    ms = [m for m in results.measurements(key) if m.error is None]
    if not ms:
        return None
    counters = _counter_columns(ms)
    per_op = schema.ITEMS_PER_SECOND in counters
    headers = ["model", "parameters", "real time"] + (["time per op"] if per_op else []) + counters
    t = Table(headers)
    for m in ms:
        cells = [m.model, m.name.label or "–",
                 stat_cell(m.stat(REAL_TIME_NS), fmt_duration_ns, primary=True)]
        if per_op:
            ips = m.stat(schema.ITEMS_PER_SECOND)
            cells.append(stat_cell(None if ips is None else ips.map(lambda v: 1e9 / v),
                                   fmt_duration_ns))
        for c in counters:
            cells.append(stat_cell(m.stat(c), lambda v, c=c: fmt_counter(c, v)))
        t.add(*cells)
    return t


def ranked_counter(results: Results, key: str) -> str | None:
    """The counter a chartless workload is ranked by: the first of RANKED_BY[key] any of its
    runs reports."""
    ms = results.ok_measurements(key)
    for counter in RANKED_BY.get(key, ()):
        if any(m.stat(counter) is not None for m in ms):
            return counter
    return None


def ranking_notes(results: Results, key: str, counter: str) -> list[str]:
    """Which runs a ranking by ``counter`` leaves out (they do not report it)."""
    left_out = [m.name.base for m in results.ok_measurements(key) if m.stat(counter) is None]
    if not left_out:
        return []
    return [f"{key}: ranked by {counter}; {len(left_out)} runs do not report it and are left "
            f"out of the ranking (in the table only): {', '.join(left_out[:3])}"
            + (", ..." if len(left_out) > 3 else "")]


def ranking_findings(results: Results, key: str, counter: str, what: str) -> list[str]:
    """Per parameter point, models ranked by ``counter`` (higher is better); a model is
    ranked above another only when their min–max intervals do not overlap."""
    out = []
    points: dict[str, list[tuple[str, Stat]]] = {}
    for m in results.ok_measurements(key):
        s = m.stat(counter)
        if s is not None:
            points.setdefault(m.name.label, []).append((m.model, s))
    workload = key.split("/", 1)[1]
    for point, entries in points.items():
        entries.sort(key=lambda e: -e[1].median)
        best_model, best = entries[0]
        if len(entries) == 1:
            out.append(f"{workload} ({point}), by {counter}: only {best_model} ran it, "
                       f"{fmt_value(best, fmt_rate)}; nothing to rank.")
            continue
        top = next((g for g in noise_groups(entries) if best_model in g), [])
        if top:
            tied = [e for e in entries if e[0] in top]
            head = (", ".join(f"{model} {fmt_value(s, fmt_rate)}" for model, s in tied)
                    + f" moved the most {what} within noise")
            rest_entries = [e for e in entries if e[0] not in top]
        else:
            head = f"{best_model} moved the most {what}, {fmt_value(best, fmt_rate)}"
            rest_entries = entries[1:]
        rest = ", ".join(
            f"{model} " + fmt_value(s, fmt_rate, "within noise of it" if within_noise(s, best)
                                    else f"{s.median / best.median:.2f}x")
            for model, s in rest_entries)
        verdict = ranking_verdict(entries)
        out.append(f"{workload} ({point}), by {counter}: {head}" + (f"; {rest}" if rest else "")
                   + (f"; {verdict}" if verdict else "") + ".")
    return out
