"""runtime/*: what one operation costs per model, in ns (log scale), grouped by workload.

ns per operation = 1e9 / items_per_second for spawn, switch, gather, sync and task_memory.
skynet (a tree of tasks) is measured by its total real time, so it has its own panel in ms.
timers wait out a sleep, so they are not a cost per operation; their finding is each timer's
lateness past its own deadline (timer_lateness_*_us) and, named for what it is, the overshoot
(overshoot_ms: from the model's entry until the last task woke, minus D). Their memory is in
the bytes_per_task chart.

A workload may run several points per model (switch via:yield and via:event; threads at a
smaller N than coroutines). The chart and findings use each model's first point, the one the
workload registers first as its headline; the report's tables hold every point. A ratio to
the reference model is given only when their min–max intervals do not overlap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib import ticker

from corio_plots import colors, figure, schema
from corio_plots.load import REAL_TIME_NS, Measurement, Results
from corio_plots.stats import Stat, errorbar, fmt_value, ranking_verdict, within_noise
from corio_plots.units import fmt_duration_ns, fmt_ms, fmt_times, fmt_us

STEM = "runtime_cost"


@dataclass(frozen=True)
class Cost:
    workload: str  # "runtime/spawn"
    model: str
    point: str  # parameters
    stat: Stat  # ns per operation; for skynet: total real time in ns

    @property
    def ns_per_op(self) -> float:
        return self.stat.median


@dataclass(frozen=True)
class Timer:
    model: str
    point: str
    overshoot: Stat | None  # ms: entry to the last wake-up, minus D
    lateness: dict[str, Stat] = field(default_factory=dict)  # p50/p99/max counter -> µs


_LATENESS = ((schema.TIMER_LATENESS_P50_US, "p50"), (schema.TIMER_LATENESS_P99_US, "p99"),
             (schema.TIMER_LATENESS_MAX_US, "max"))


@dataclass
class RuntimeCost:
    per_op: list[Cost]  # each model's first point of each per-op workload
    skynet: list[Cost]
    timers: list[Timer] = field(default_factory=list)
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
        stat = m.stat(REAL_TIME_NS)
    else:
        ips = m.stat(schema.ITEMS_PER_SECOND)
        stat = None if ips is None else ips.map(ns_per_op)
    if stat is None:
        return None
    return Cost(workload=key, model=m.model, point=m.name.label, stat=stat)


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
    timers = []
    for m in first_per_model(results.ok_measurements(schema.RUNTIME_TIMERS)):
        lateness = {c: v for c, _ in _LATENESS if (v := m.stat(c)) is not None}
        overshoot = m.stat(schema.OVERSHOOT_MS)
        if lateness or overshoot is not None:
            timers.append(Timer(model=m.model, point=m.name.label, overshoot=overshoot,
                                lateness=lateness))
    if not (per_op or skynet or timers):
        return None
    return RuntimeCost(per_op=per_op, skynet=skynet, timers=timers, notes=notes)


def _compare(costs: list[Cost], what: str) -> str:
    """"spawn+join (tasks:100000): corio 31 ns, libuv 120 ns (3.9x), threads 14 µs at
    tasks:1000 (452x); <verdict>": corio (else the cheapest) first as the reference, the
    others from cheapest to dearest with their ratio (or "within noise of" it), and their
    point when it is not the reference's."""
    ref = next((c for c in costs if c.model == schema.CORIO),
               min(costs, key=lambda c: c.ns_per_op))
    head = f"{what} ({ref.point})" if ref.point else what
    parts = [f"{ref.model} {fmt_value(ref.stat, fmt_duration_ns)}"]
    for c in sorted(costs, key=lambda c: c.ns_per_op):
        if c is ref:
            continue
        at = f" at {c.point}" if c.point != ref.point else ""
        vs = (f"within noise of {ref.model}" if within_noise(c.stat, ref.stat)
              else fmt_times(c.ns_per_op / ref.ns_per_op))
        parts.append(f"{c.model} {fmt_value(c.stat, fmt_duration_ns)}{at} ({vs})"
                     if at else f"{c.model} {fmt_value(c.stat, fmt_duration_ns, vs)}")
    verdict = ranking_verdict([(c.model, c.stat) for c in costs])
    return f"{head}: " + ", ".join(parts) + (f"; {verdict}" if verdict else "") + "."


def _timer_findings(timers: list[Timer]) -> list[str]:
    out: list[str] = []
    late = [t for t in timers if schema.TIMER_LATENESS_P99_US in t.lateness]
    if late:
        ref = next((t for t in late if t.model == schema.CORIO), late[0])

        def describe(t: Timer) -> str:
            at = f" at {t.point}" if t.point != ref.point else ""
            return f"{t.model} " + ", ".join(
                f"{label} {fmt_value(t.lateness[c], fmt_us)}" for c, label in _LATENESS
                if c in t.lateness) + at

        rest = [describe(t) for t in sorted(late, key=lambda t: t.lateness[
            schema.TIMER_LATENESS_P99_US].median) if t is not ref]
        verdict = ranking_verdict([(t.model, t.lateness[schema.TIMER_LATENESS_P99_US])
                                   for t in late])
        missing = [t.model for t in timers if t not in late]
        out.append(f"timers ({ref.point}): each timer fired after its own deadline by "
                   f"{describe(ref)}" + (f"; {'; '.join(rest)}" if rest else "")
                   + (f"; ranked by p99: {verdict}" if verdict else "")
                   + (f"; no timer_lateness counters from {', '.join(missing)}" if missing
                      else "") + ".")
    over = [(t, t.overshoot) for t in timers if t.overshoot is not None]
    if over:
        ref_t, ref_o = next(((t, o) for t, o in over if t.model == schema.CORIO), over[0])
        rest_o = ", ".join(f"{t.model} {fmt_value(o, fmt_ms)}"
                           + (f" at {t.point}" if t.point != ref_t.point else "")
                           for t, o in sorted(over, key=lambda to: to[1].median)
                           if t is not ref_t)
        verdict = ranking_verdict([(t.model, o) for t, o in over])
        what = ("not a timer's lateness" if late else
                "not a timer's lateness, which this run does not report")
        out.append(f"timers ({ref_t.point}): overshoot, from the model's entry until the last "
                   f"task woke minus the sleep (creating, firing and the lateness of all the "
                   f"timers together; {what}): {ref_t.model} {fmt_value(ref_o, fmt_ms)}"
                   + (f"; {rest_o}" if rest_o else "")
                   + (f"; {verdict}" if verdict else "") + ".")
    return out


def findings(data: RuntimeCost) -> list[str]:
    out = [_compare([c for c in data.per_op if c.workload == w], schema.RUNTIME_PER_OP[w])
           for w in data.workloads()]
    if data.skynet:
        out.append(_compare(data.skynet, "skynet, total time"))
    out += _timer_findings(data.timers)
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
            ax.bar(xs, ys, width, yerr=errorbar([by_w[w].stat for w in workloads if w in by_w]),
                   capsize=2, error_kw={"linewidth": 1}, **colors.bar_kwargs(model))
        ax.set_xticks(x, [schema.RUNTIME_PER_OP[w] for w in workloads], rotation=20, ha="right")
        ax.set_yscale("log")
        figure.log_bar_floor(ax, [v for c in data.per_op for v in (c.stat.lo, c.stat.hi)])
        figure.plain_log_ticks(ax, "y")
        ax.set_ylabel("cost per operation (ns, log)")
        ax.set_title("cost of one operation")
    if data.skynet:
        ax = next(ax_iter)
        sky = sorted(data.skynet, key=lambda c: schema.model_order(c.model))
        for i, c in enumerate(sky):
            ms = c.stat.scaled(1e-6)
            yerr = errorbar([ms])
            bars = ax.bar([i], [ms.median], 0.8, yerr=yerr, capsize=3,
                          error_kw={"linewidth": 1}, **colors.bar_kwargs(c.model))
            figure.label_bars(ax, bars, [fmt_duration_ns(c.ns_per_op)],
                              above=yerr[1] if yerr else None)
        ax.set_xticks(range(len(sky)), [c.model for c in sky], rotation=30, ha="right")
        ax.set_yscale("log")
        figure.log_bar_floor(ax, [v / 1e6 for c in sky for v in (c.stat.lo, c.stat.hi)])
        ax.yaxis.set_minor_formatter(ticker.NullFormatter())
        figure.plain_log_ticks(ax, "y")
        ax.set_ylabel("total time (ms, log)")
        ax.set_title(f"skynet {sky[0].point}".strip())
    figure.legend_outside(axes[-1], handles_from=axes)
    caption = figure.bars_caption(c.stat for c in data.per_op + data.skynet)
    fig.suptitle(f"runtime: cost per operation per model (lower is better)\n({caption})")
    return figure.save(fig, out_dir, STEM)
