"""runtime/*: what one operation costs per model, in ns (log scale), grouped by workload.

ns per operation = 1e9 / items_per_second for spawn, switch, gather, sync, timers and
task_memory. skynet (a tree of 1M tasks) is measured by its total real time instead, so it
has its own panel in ms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from corio_plots import colors, figure, schema
from corio_plots.load import REAL_TIME_NS, Measurement, Results
from corio_plots.units import fmt_duration_ns, fmt_ratio

STEM = "runtime_cost"


@dataclass(frozen=True)
class Cost:
    workload: str  # "runtime/spawn"
    model: str
    point: str  # parameters
    ns_per_op: float  # for skynet: total real time in ns
    sd_ns: float | None


@dataclass
class RuntimeCost:
    per_op: list[Cost]  # the drawn point of each per-op workload
    skynet: list[Cost]
    all_points: list[Cost]  # every point measured, drawn or not
    notes: list[str] = field(default_factory=list)

    def workloads(self) -> list[str]:
        return list(dict.fromkeys(c.workload for c in self.per_op))

    def per_op_point(self, workload: str) -> str:
        """The parameters of the point drawn for ``workload``."""
        return next((c.point for c in self.per_op if c.workload == workload), "")


def ns_per_op(items_per_second: float) -> float:
    """Cost of one operation from Google Benchmark's items_per_second counter."""
    return 1e9 / items_per_second


def _pick_point(ms: list[Measurement]) -> str:
    """The parameter point to draw: the one most models ran; among those, the last run."""
    counts: dict[str, int] = {}
    for m in ms:
        counts[m.name.label] = counts.get(m.name.label, 0) + 1
    best = max(counts.values())
    return [label for label in counts if counts[label] == best][-1]


def _costs(key: str, ms: list[Measurement], notes: list[str]) -> list[Cost]:
    costs = []
    for m in ms:
        if key == schema.RUNTIME_TOTAL_TIME:
            value, sd = m.value(REAL_TIME_NS), m.spread(REAL_TIME_NS)
        else:
            ips = m.value(schema.ITEMS_PER_SECOND)
            if not ips:
                notes.append(f"{m.name.base}: no items_per_second counter; not drawn")
                continue
            value = ns_per_op(ips)
            ips_sd = m.spread(schema.ITEMS_PER_SECOND)
            # ns = 1e9/ips, so d(ns) ≈ ns * d(ips)/ips: the same relative spread.
            sd = value * ips_sd / ips if ips_sd else None
        assert value is not None
        costs.append(Cost(workload=key, model=m.model, point=m.name.label, ns_per_op=value,
                          sd_ns=sd))
    return costs


def compute(results: Results) -> RuntimeCost | None:
    per_op: list[Cost] = []
    skynet: list[Cost] = []
    everything: list[Cost] = []
    notes: list[str] = []
    for key in [*schema.RUNTIME_PER_OP, schema.RUNTIME_TOTAL_TIME]:
        ms = results.ok_measurements(key)
        if not ms:
            continue
        costs = _costs(key, ms, notes)
        everything += costs
        if not costs:
            continue
        point = _pick_point(ms)
        drawn = [c for c in costs if c.point == point]
        if len({c.point for c in costs}) > 1:
            notes.append(f"{key}: the chart shows {point or 'the default point'}; "
                         "other points are in the table")
        (skynet if key == schema.RUNTIME_TOTAL_TIME else per_op).extend(drawn)
    if not everything:
        return None
    return RuntimeCost(per_op=per_op, skynet=skynet, all_points=everything, notes=notes)


def _compare(costs: list[Cost], what: str) -> str:
    """"spawn+join: corio 31 ns, asio 410 ns (13x), ..." with corio as the reference."""
    costs = sorted(costs, key=lambda c: schema.model_order(c.model))
    ref = next((c for c in costs if c.model == schema.CORIO), None)
    if ref is None:
        costs.sort(key=lambda c: c.ns_per_op)
        ref = costs[0]
    parts = [f"{ref.model} {fmt_duration_ns(ref.ns_per_op)}"]
    for c in costs:
        if c is ref:
            continue
        ratio = c.ns_per_op / ref.ns_per_op
        how = fmt_ratio(ratio) if ratio >= 1 else f"{fmt_ratio(1 / ratio)} less"
        parts.append(f"{c.model} {fmt_duration_ns(c.ns_per_op)} ({how})")
    return f"{what}: " + ", ".join(parts)


def findings(data: RuntimeCost) -> list[str]:
    out = []
    for w in data.workloads():
        point = data.per_op_point(w)
        what = schema.RUNTIME_PER_OP[w] + (f" ({point})" if point else "")
        out.append(_compare([c for c in data.per_op if c.workload == w], what) + ".")
    if data.skynet:
        point = data.skynet[0].point
        what = "skynet, total time" + (f" ({point})" if point else "")
        out.append(_compare(data.skynet, what) + ".")
    return out


def draw(data: RuntimeCost, out_dir: Path) -> list[Path]:
    panels = (1 if data.per_op else 0) + (1 if data.skynet else 0)
    fig, axes = figure.new_figure(ncols=panels)
    if panels == 2:
        # The per-operation panel holds several workloads; skynet is one group.
        fig.clear()
        grid = fig.add_gridspec(1, 2, width_ratios=(3, 1))
        axes = [fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])]
    models = sorted({c.model for c in data.per_op + data.skynet}, key=schema.model_order)
    drawn: set[str] = set()
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
            drawn.add(model)
        ax.set_xticks(x, [schema.RUNTIME_PER_OP[w] for w in workloads], rotation=20, ha="right")
        ax.set_yscale("log")
        ax.set_ylabel("cost per operation (ns, log)")
        ax.set_title("cost of one operation")
    if data.skynet:
        ax = next(ax_iter)
        sky = sorted(data.skynet, key=lambda c: schema.model_order(c.model))
        for i, c in enumerate(sky):
            kwargs = colors.bar_kwargs(c.model)
            if c.model in drawn:
                kwargs["label"] = "_nolegend_"
            ax.bar([i], [c.ns_per_op / 1e6], 0.8, **kwargs)
            drawn.add(c.model)
        ax.set_xticks(range(len(sky)), [c.model for c in sky], rotation=30, ha="right")
        ax.set_yscale("log")
        ax.set_ylabel("total time (ms, log)")
        ax.set_title(f"skynet {sky[0].point}".strip())
    handles, labels = [], []
    for a in axes:
        h, lab = a.get_legend_handles_labels()
        handles += h
        labels += lab
    fig.legend(handles, labels, loc="upper center", ncol=min(len(labels), 6),
               bbox_to_anchor=(0.5, 0.93))
    fig.suptitle("runtime: cost per operation per model (lower is better)")
    fig.tight_layout(rect=(0, 0, 1, 0.86))
    return figure.save(fig, out_dir, STEM, tight=False)

