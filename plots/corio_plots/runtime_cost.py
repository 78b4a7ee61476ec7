"""runtime/*: what one operation costs per model, in ns (log scale), grouped by workload.

ns per operation = 1e9 / items_per_second for spawn, switch, gather, sync and task_memory.
skynet (a tree of tasks) is measured by its total real time, so it has its own panel in ms.
timers wait out a sleep, so they are not a cost per operation; their finding is how late a
timer fires (overshoot_ms). Their memory is in the bytes_per_task chart.

A workload may run several points per model (switch via:yield and via:event; threads at a
smaller N than coroutines). The chart and findings use each model's first point, the one the
workload registers first as its headline; the report's tables hold every point.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib import ticker

from corio_plots import colors, figure, schema
from corio_plots.load import REAL_TIME_NS, Measurement, Results
from corio_plots.units import fmt_duration_ns, fmt_ms, fmt_times

STEM = "runtime_cost"


@dataclass(frozen=True)
class Cost:
    workload: str  # "runtime/spawn"
    model: str
    point: str  # parameters
    ns_per_op: float  # for skynet: total real time in ns
    sd_ns: float | None


@dataclass(frozen=True)
class Overshoot:
    model: str
    point: str
    overshoot_ms: float


@dataclass
class RuntimeCost:
    per_op: list[Cost]  # each model's first point of each per-op workload
    skynet: list[Cost]
    timers: list[Overshoot] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def workloads(self) -> list[str]:
        return list(dict.fromkeys(c.workload for c in self.per_op))


def ns_per_op(items_per_second: float) -> float:
    """Cost of one operation from Google Benchmark's items_per_second counter."""
    return 1e9 / items_per_second


def first_per_model(ms: list[Measurement]) -> list[Measurement]:
    """Each model's first measurement in run order: the workload's headline point."""
    chosen: dict[str, Measurement] = {}
    for m in ms:
        chosen.setdefault(m.model, m)
    return list(chosen.values())


def _cost(key: str, m: Measurement) -> Cost | None:
    if key == schema.RUNTIME_TOTAL_TIME:
        value, sd = m.value(REAL_TIME_NS), m.spread(REAL_TIME_NS)
    else:
        ips = m.value(schema.ITEMS_PER_SECOND)
        if not ips:
            return None
        value = ns_per_op(ips)
        ips_sd = m.spread(schema.ITEMS_PER_SECOND)
        # ns = 1e9/ips, so d(ns) ≈ ns * d(ips)/ips: the same relative spread.
        sd = value * ips_sd / ips if ips_sd else None
    if value is None:
        return None
    return Cost(workload=key, model=m.model, point=m.name.label, ns_per_op=value, sd_ns=sd)


def compute(results: Results) -> RuntimeCost | None:
    per_op: list[Cost] = []
    skynet: list[Cost] = []
    notes: list[str] = []
    for key in [*schema.RUNTIME_PER_OP, schema.RUNTIME_TOTAL_TIME]:
        ms = results.ok_measurements(key)
        for m in first_per_model(ms):
            cost = _cost(key, m)
            if cost is None:
                notes.append(f"{m.name.base}: no items_per_second counter; not drawn")
                continue
            (skynet if key == schema.RUNTIME_TOTAL_TIME else per_op).append(cost)
        if len({m.name.label for m in ms}) > len({m.model for m in ms}):
            notes.append(f"{key}: the chart shows each model's first point; the table below "
                         "has every point")
    timers = [Overshoot(model=m.model, point=m.name.label, overshoot_ms=o)
              for m in first_per_model(results.ok_measurements(schema.RUNTIME_TIMERS))
              if (o := m.value(schema.OVERSHOOT_MS)) is not None]
    if not (per_op or skynet or timers):
        return None
    return RuntimeCost(per_op=per_op, skynet=skynet, timers=timers, notes=notes)


def _compare(costs: list[Cost], what: str) -> str:
    """"spawn+join (tasks:100000): corio 31 ns, libuv 120 ns (3.9x), threads 14 µs at
    tasks:1000 (452x)": corio (else the cheapest) first as the reference, the others from
    cheapest to dearest with their ratio, and their point when it is not the reference's."""
    ref = next((c for c in costs if c.model == schema.CORIO),
               min(costs, key=lambda c: c.ns_per_op))
    head = f"{what} ({ref.point})" if ref.point else what
    parts = [f"{ref.model} {fmt_duration_ns(ref.ns_per_op)}"]
    for c in sorted(costs, key=lambda c: c.ns_per_op):
        if c is ref:
            continue
        at = f" at {c.point}" if c.point != ref.point else ""
        parts.append(f"{c.model} {fmt_duration_ns(c.ns_per_op)}{at} "
                     f"({fmt_times(c.ns_per_op / ref.ns_per_op)})")
    return f"{head}: " + ", ".join(parts) + "."


def findings(data: RuntimeCost) -> list[str]:
    out = [_compare([c for c in data.per_op if c.workload == w], schema.RUNTIME_PER_OP[w])
           for w in data.workloads()]
    if data.skynet:
        out.append(_compare(data.skynet, "skynet, total time"))
    if data.timers:
        ref = next((t for t in data.timers if t.model == schema.CORIO), data.timers[0])
        rest = ", ".join(f"{t.model} {fmt_ms(t.overshoot_ms)}"
                         + (f" at {t.point}" if t.point != ref.point else "")
                         for t in sorted(data.timers, key=lambda t: t.overshoot_ms)
                         if t is not ref)
        out.append(f"timers ({ref.point}): a timer fired on average {fmt_ms(ref.overshoot_ms)} "
                   f"after its deadline with {ref.model}" + (f"; {rest}" if rest else "") + ".")
    return out


def draw(data: RuntimeCost, out_dir: Path) -> list[Path] | None:
    """Nothing to draw (None) when the run holds only timers."""
    if not (data.per_op or data.skynet):
        return None
    fig, _ = figure.new_figure()
    fig.clear()
    # The per-operation panel holds several workloads; skynet is one group, so it is narrower.
    ratios = [r for r, present in ((3, data.per_op), (1, data.skynet)) if present]
    grid = fig.add_gridspec(1, len(ratios), width_ratios=ratios)
    axes = [fig.add_subplot(grid[0, i]) for i in range(len(ratios))]
    models = sorted({c.model for c in data.per_op + data.skynet}, key=schema.model_order)
    ax_iter = iter(axes)
    if data.per_op:
        ax = next(ax_iter)
        workloads = data.workloads()
        present = [m for m in models if any(c.model == m for c in data.per_op)]
        width = 0.8 / len(present)
        x = np.arange(len(workloads))
        for i, model in enumerate(present):
            by_w = {c.workload: c for c in data.per_op if c.model == model}
            xs = [x[j] + (i - (len(present) - 1) / 2) * width
                  for j, w in enumerate(workloads) if w in by_w]
            ys = [by_w[w].ns_per_op for w in workloads if w in by_w]
            ax.bar(xs, ys, width, **colors.bar_kwargs(model))
        ax.set_xticks(x, [schema.RUNTIME_PER_OP[w] for w in workloads], rotation=20, ha="right")
        ax.set_yscale("log")
        figure.log_bar_floor(ax, [c.ns_per_op for c in data.per_op])
        figure.plain_log_ticks(ax, "y")
        ax.set_ylabel("cost per operation (ns, log)")
        ax.set_title("cost of one operation")
    if data.skynet:
        ax = next(ax_iter)
        sky = sorted(data.skynet, key=lambda c: schema.model_order(c.model))
        for i, c in enumerate(sky):
            bars = ax.bar([i], [c.ns_per_op / 1e6], 0.8, **colors.bar_kwargs(c.model))
            figure.label_bars(ax, bars, [fmt_duration_ns(c.ns_per_op)])
        ax.set_xticks(range(len(sky)), [c.model for c in sky], rotation=30, ha="right")
        ax.set_yscale("log")
        figure.log_bar_floor(ax, [c.ns_per_op / 1e6 for c in sky])
        ax.yaxis.set_minor_formatter(ticker.NullFormatter())
        figure.plain_log_ticks(ax, "y")
        ax.set_ylabel("total time (ms, log)")
        ax.set_title(f"skynet {sky[0].point}".strip())
    figure.legend_outside(axes[-1], handles_from=axes)
    fig.suptitle("runtime: cost per operation per model (lower is better)")
    return figure.save(fig, out_dir, STEM)
