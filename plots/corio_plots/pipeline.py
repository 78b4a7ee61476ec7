"""io/pipeline: items per second vs consumers K and queue capacity Q per model (the Queue
chart).

A producer puts N items on a bounded queue of capacity Q (an asyncio.Queue(maxsize=Q)) and K
consumers take them (work:cpu hashes each item, work:io waits 1 ms per item). One panel per
kind of work; colour and marker are the model, the line style is Q. The findings compute,
per model and kind of work, what more consumers bought (items/s at the largest K against
K = 1, beyond noise and SCALING_TOLERANCE) and what a bigger queue bought at the same K
(QUEUE_TOLERANCE); the chart draws every median with its min–max error bars.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from corio_plots import colors, figure, generic, schema
from corio_plots.load import Results
from corio_plots.stats import Stat, errorbar, fmt_value, within_noise
from corio_plots.table import Table
from corio_plots.units import fmt_count, fmt_rate, fmt_ratio

KEY = "io/pipeline"
STEM = "pipeline"
MAX_PANELS = 3
# More consumers "helped" when items/s at the largest K beat K's smallest by more than this
# (and beyond noise).
SCALING_TOLERANCE = 0.10
# A bigger queue "changed nothing" when items/s stayed within this (or within noise).
QUEUE_TOLERANCE = 0.10
_LINESTYLES = ("-", "--", ":", "-.")


@dataclass(frozen=True)
class Point:
    model: str
    work: str  # the kind of work (and any other parameter but K, Q and N)
    consumers: int
    capacity: int  # 0: the sequential baseline, no queue
    ips: Stat
    stalls: Stat | None

    @property
    def items_per_second(self) -> float:
        return self.ips.median


@dataclass
class Pipeline:
    points: list[Point]
    table: Table | None = None
    ranking: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def works(self) -> list[str]:
        return list(dict.fromkeys(p.work for p in self.points))

    def capacities(self, work: str) -> list[int]:
        return sorted({p.capacity for p in self.points if p.work == work and p.capacity > 0})

    def models(self, work: str | None = None) -> list[str]:
        return sorted({p.model for p in self.points if work is None or p.work == work},
                      key=schema.model_order)

    def line(self, model: str, work: str, capacity: int) -> list[Point]:
        return sorted((p for p in self.points if (p.model, p.work, p.capacity) ==
                       (model, work, capacity)), key=lambda p: p.consumers)


def compute(results: Results) -> Pipeline | None:
    points: list[Point] = []
    notes: list[str] = []
    for m in results.ok_measurements(KEY):
        k = m.name.param_float("consumers")
        ips = m.stat(schema.ITEMS_PER_SECOND)
        if k is None or k <= 0 or ips is None:
            notes.append(f"{m.name.base}: no consumers: parameter or items_per_second; not "
                         "drawn")
            continue
        q = m.name.param_float("capacity")
        work = " ".join(f"{key}:{v}" for key, v in m.name.without("consumers", "capacity",
                                                                  "items"))
        points.append(Point(model=m.model, work=work or "default", consumers=int(k),
                            capacity=int(q or 0), ips=ips,
                            stalls=m.stat(schema.QUEUE_FULL_STALLS)))
    if not points:
        return None
    return Pipeline(points=points, table=generic.table(results, KEY),
                    ranking=generic.ranking_findings(results, KEY, schema.ITEMS_PER_SECOND,
                                                     "items"),
                    notes=notes)


def _ips(p: Point) -> str:
    return fmt_value(p.ips, fmt_rate)


def consumer_effect(line: list[Point]) -> str | None:
    """What going from the fewest to the most consumers did, with its condition."""
    if len(line) < 2:
        return None
    few, many = line[0], line[-1]
    span = (f"{_ips(few)} at K = {fmt_count(few.consumers)}, {_ips(many)} at K = "
            f"{fmt_count(many.consumers)}")
    ratio = many.items_per_second / few.items_per_second
    pct = f"{SCALING_TOLERANCE * 100:.0f}%"
    if within_noise(few.ips, many.ips) or abs(ratio - 1) <= SCALING_TOLERANCE:
        return f"more consumers changed nothing beyond noise or {pct} ({span})"
    if ratio > 1:
        return f"more consumers moved {fmt_ratio(ratio)} the items ({span})"
    return f"more consumers moved fewer items, {fmt_ratio(1 / ratio)} less ({span})"


def queue_effect(data: Pipeline, model: str, work: str) -> str | None:
    """What the biggest queue did against the smallest at the same K: the largest change."""
    caps = sorted({p.capacity for p in data.points if (p.model, p.work) == (model, work)
                   and p.capacity > 0})
    if len(caps) < 2:
        return None
    small = {p.consumers: p for p in data.line(model, work, caps[0])}
    big = {p.consumers: p for p in data.line(model, work, caps[-1])}
    pairs = [(small[k], big[k]) for k in sorted(small) if k in big]
    if not pairs:
        return None
    a, b = max(pairs, key=lambda ab: abs(ab[1].items_per_second / ab[0].items_per_second - 1))
    ratio = b.items_per_second / a.items_per_second
    pct = f"{QUEUE_TOLERANCE * 100:.0f}%"
    head = f"Q = {fmt_count(caps[0])} -> {fmt_count(caps[-1])}"
    where = (f"{_ips(a)} -> {_ips(b)} at K = {fmt_count(a.consumers)}")
    if within_noise(a.ips, b.ips) or abs(ratio - 1) <= QUEUE_TOLERANCE:
        return (f"a bigger queue ({head}) changed items/s by no more than noise or {pct} at "
                f"any K (largest change: {where})")
    verb = f"raised items/s {fmt_ratio(ratio)}" if ratio > 1 else \
        f"lowered items/s {fmt_ratio(1 / ratio)}"
    return f"a bigger queue ({head}) {verb} ({where})"


def findings(data: Pipeline) -> list[str]:
    out = []
    for work in data.works():
        for model in data.models(work):
            caps = data.capacities(work)
            parts = []
            line = data.line(model, work, caps[0]) if caps else []
            effect = consumer_effect(line)
            if effect:
                parts.append(effect + (f" with Q = {fmt_count(caps[0])}" if caps else ""))
            q = queue_effect(data, model, work)
            if q:
                parts.append(q)
            if parts:
                out.append(f"pipeline ({work}) {model}: " + "; ".join(parts) + ".")
    return out + data.ranking


def shows(data: Pipeline) -> str:
    """One line: what the chart shows, computed from its data."""
    parts = []
    for work in data.works():
        caps = data.capacities(work)
        helped, flat, fell, queue_mattered = [], [], [], []
        for model in data.models(work):
            line = data.line(model, work, caps[0]) if caps else []
            effect = consumer_effect(line)
            if effect is None:
                continue
            if "fewer" in effect:
                fell.append(model)
            else:
                (helped if "moved" in effect else flat).append(model)
            q = queue_effect(data, model, work)
            if q and "changed items/s by no more" not in q:
                queue_mattered.append(model)
        if not (helped or flat or fell):
            continue
        text = f"{work}: more consumers raised items/s for " + (", ".join(helped) or "no model")
        if fell:
            text += f", lowered it for {', '.join(fell)}"
        if caps and len(caps) > 1:
            text += (f"; a bigger queue (Q = {fmt_count(caps[0])} -> {fmt_count(caps[-1])}) "
                     "mattered beyond noise and 10% for " + (", ".join(queue_mattered)
                                                             or "no model"))
        parts.append(text)
    head = "What an asyncio.Queue pipeline buys: items/s vs consumers K per queue capacity Q"
    return head + ("; " + "; ".join(parts) if parts else "") + "."


def table(data: Pipeline) -> Table:
    assert data.table is not None
    return data.table


def draw(data: Pipeline, out_dir: Path) -> list[Path]:
    from matplotlib.lines import Line2D

    works = data.works()[:MAX_PANELS]
    fig, axes = figure.new_figure(ncols=len(works), height_in=5.4)
    styles: dict[int, str] = {}
    for ax, work in zip(axes, works):
        caps = data.capacities(work)
        for i, cap in enumerate(caps):
            styles.setdefault(cap, _LINESTYLES[min(i, len(_LINESTYLES) - 1)])
        values: list[float] = []
        ks: set[int] = set()
        for model in data.models(work):
            for cap in sorted({p.capacity for p in data.points
                               if (p.model, p.work) == (model, work)}):
                line = data.line(model, work, cap)
                kwargs = colors.line_kwargs(model)
                kwargs["linestyle"] = styles.get(cap, "none") if cap > 0 else "none"
                ax.errorbar([p.consumers for p in line], [p.items_per_second for p in line],
                            yerr=errorbar([p.ips for p in line]), capsize=3, markersize=5,
                            **kwargs)
                values += figure.stat_values(p.ips for p in line)
                ks |= {p.consumers for p in line}
        figure.log_axis(ax, "x", ks, margin=1.6, label_values=ks)
        figure.log_axis(ax, "y", values)
        ax.set_xlabel("consumers K (log)")
        ax.set_title(work, fontsize=9)
    axes[0].set_ylabel("items/s (log)")
    extra = [(Line2D([], [], color="black", linestyle=ls), f"queue capacity Q = {fmt_count(q)}")
             for q, ls in sorted(styles.items())]
    if any(p.capacity == 0 for p in data.points):
        extra.append((Line2D([], [], color="black", marker="h", linestyle="none"),
                      "no line: Q = 0, no queue (the baseline)"))
    bottom = figure.legend_below(fig, list(axes[:len(works)]), ncol=4, extra=extra)
    fig.suptitle("pipeline: producer -> bounded queue (capacity Q) -> K consumers\n"
                 f"({figure.bars_caption(p.ips for p in data.points)})")
    return figure.save(fig, out_dir, STEM, rect=(0, bottom, 1, 1))
