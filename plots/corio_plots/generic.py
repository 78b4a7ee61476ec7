"""A table for any workload, straight from its measurements, and ranking findings for the
workloads that have no chart of their own (http_fanout, pipeline).

Columns: model, parameters, real time (± stddev over repetitions), ns per operation when the
run reports items_per_second, then every counter the runs report: the schema's first, in its
order, then any others alphabetically. blocking_in_loop's CDF counters are left to its chart.
"""

from __future__ import annotations

from corio_plots import schema
from corio_plots.load import CPU_TIME_NS, REAL_TIME_NS, Measurement, Results
from corio_plots.table import Table, dash
from corio_plots.units import (fmt_bytes, fmt_count, fmt_duration_ns, fmt_ms, fmt_number,
                               fmt_rate, fmt_us)

_SKIP = {REAL_TIME_NS, CPU_TIME_NS, *schema.CDF_COUNTERS}


def fmt_counter(name: str, value: float) -> str:
    """A counter's value in its unit, by the naming convention of the contract."""
    if name.endswith("_bytes") or name == schema.BYTES_PER_TASK:
        return fmt_bytes(value)
    if name.endswith("_us"):
        return fmt_us(value)
    if name.endswith("_ms"):
        return fmt_ms(value)
    if name.endswith("_per_second") or name.endswith("_rps"):
        return fmt_rate(value)
    if name in (schema.ERRORS, schema.QUEUE_FULL_STALLS, schema.CTX_VOLUNTARY,
                schema.CTX_INVOLUNTARY):
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
    headers = ["model", "parameters", "real time"] + (["ns per op"] if per_op else []) + counters
    t = Table(headers)
    for m in ms:
        rt, sd = m.value(REAL_TIME_NS), m.spread(REAL_TIME_NS)
        time = dash(None) if rt is None else fmt_duration_ns(rt)
        if rt is not None and sd:
            time += f" ± {fmt_duration_ns(sd)}"
        cells = [m.model, m.name.label or "–", time]
        if per_op:
            ips = m.value(schema.ITEMS_PER_SECOND)
            cells.append(fmt_duration_ns(1e9 / ips) if ips else dash(None))
        for c in counters:
            v = m.value(c)
            cells.append(dash(None) if v is None else fmt_counter(c, v))
        t.add(*cells)
    return t


def ranking_findings(results: Results, key: str, counter: str, what: str) -> list[str]:
    """Per parameter point, models ranked by ``counter`` (higher is better)."""
    out = []
    points: dict[str, list[tuple[str, float]]] = {}
    for m in results.ok_measurements(key):
        v = m.value(counter)
        if v is not None:
            points.setdefault(m.name.label, []).append((m.model, v))
    workload = key.split("/", 1)[1]
    for point, entries in points.items():
        entries.sort(key=lambda e: -e[1])
        best_model, best = entries[0]
        rest = ", ".join(f"{model} {fmt_rate(v)} ({v / best:.2f}x)" for model, v in entries[1:])
        out.append(f"{workload} ({point}): {best_model} moved the most {what}, {fmt_rate(best)}"
                   + (f"; {rest}" if rest else "") + ".")
    return out
