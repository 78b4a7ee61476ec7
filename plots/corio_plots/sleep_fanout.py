"""io/sleep_fanout: wall time vs number of tasks, log-log, with the ideal lines.

N tasks each wait D ms. A model that interleaves the waits finishes in about D whatever N
(the flat "ideal concurrent" line); one that waits one at a time needs N·D (the diagonal).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from corio_plots import colors, figure, schema
from corio_plots.load import REAL_TIME_NS, Results
from corio_plots.table import Table, dash
from corio_plots.units import fmt_bytes, fmt_count, fmt_ms, fmt_number

KEY = "io/sleep_fanout"
STEM = "sleep_fanout"
MAX_PANELS = 3


@dataclass(frozen=True)
class Point:
    model: str
    tasks: int
    delay_ms: float
    wall_ms: float
    wall_sd_ms: float | None
    overlap: float | None
    peak_rss_bytes: float | None
    bytes_per_task: float | None


@dataclass
class SleepFanout:
    points: list[Point]
    notes: list[str] = field(default_factory=list)

    def delays(self) -> list[float]:
        return sorted({p.delay_ms for p in self.points})

    def at_delay(self, delay_ms: float) -> list[Point]:
        return [p for p in self.points if p.delay_ms == delay_ms]


def compute(results: Results) -> SleepFanout | None:
    points: list[Point] = []
    notes: list[str] = []
    for m in results.ok_measurements(KEY):
        tasks, delay = m.name.param_float("tasks"), m.name.param_float("delay_ms")
        if tasks is None or delay is None:
            notes.append(f"{m.name.base}: no numeric tasks:/delay_ms: parameters; not drawn")
            continue
        wall_ns = m.value(REAL_TIME_NS)
        assert wall_ns is not None
        sd = m.spread(REAL_TIME_NS)
        overlap = m.value(schema.OVERLAP)
        if overlap is None:
            overlap = tasks * delay * 1e6 / wall_ns
        points.append(Point(
            model=m.model, tasks=int(tasks), delay_ms=delay, wall_ms=wall_ns / 1e6,
            wall_sd_ms=None if sd is None else sd / 1e6, overlap=overlap,
            peak_rss_bytes=m.value(schema.PEAK_RSS_BYTES),
            bytes_per_task=m.value(schema.BYTES_PER_TASK)))
    if not points:
        return None
    return SleepFanout(points=points, notes=notes)


def findings(data: SleepFanout) -> list[str]:
    out: list[str] = []
    for delay in data.delays():
        points = data.at_delay(delay)
        concurrent = [p for p in points if p.model != schema.SEQUENTIAL]
        if concurrent:
            n_max = max(p.tasks for p in concurrent)
            at_max = sorted((p for p in concurrent if p.tasks == n_max), key=lambda p: p.wall_ms)
            lead = next((p for p in at_max if p.model == schema.CORIO), at_max[0])
            out.append(
                f"{lead.model} finished {fmt_count(n_max)} sleeps of {fmt_ms(delay)} in "
                f"{fmt_ms(lead.wall_ms)}; sequential would need {fmt_ms(n_max * delay)} "
                f"(N·D), an overlap of {fmt_count(n_max * delay / lead.wall_ms)} sleeps at once.")
            if len(at_max) > 1:
                ranked = ", ".join(f"{p.model} {fmt_ms(p.wall_ms)}" for p in at_max)
                out.append(f"At N = {fmt_count(n_max)}, D = {fmt_ms(delay)} "
                           f"(ideal {fmt_ms(delay)}): {ranked}.")
            for model in sorted({p.model for p in concurrent} - {p.model for p in at_max},
                                key=schema.model_order):
                last = max((p for p in concurrent if p.model == model), key=lambda p: p.tasks)
                out.append(f"{model} ran up to N = {fmt_count(last.tasks)} only "
                           f"({fmt_ms(last.wall_ms)} at D = {fmt_ms(delay)}).")
        for p in (p for p in points if p.model == schema.SEQUENTIAL):
            out.append(f"sequential took {fmt_ms(p.wall_ms)} for {fmt_count(p.tasks)} sleeps of "
                       f"{fmt_ms(delay)} (N·D = {fmt_ms(p.tasks * delay)}).")
    return out


def table(data: SleepFanout) -> Table:
    t = Table(["model", "tasks", "delay", "wall time", "overlap (N·D / wall)", "peak RSS",
               "bytes per task"])
    for p in sorted(data.points, key=lambda p: (p.delay_ms, schema.model_order(p.model), p.tasks)):
        wall = fmt_ms(p.wall_ms) + (f" ± {fmt_ms(p.wall_sd_ms)}" if p.wall_sd_ms else "")
        t.add(p.model, fmt_count(p.tasks), fmt_ms(p.delay_ms), wall,
              fmt_number(p.overlap) if p.overlap is not None else dash(None),
              fmt_bytes(p.peak_rss_bytes) if p.peak_rss_bytes is not None else dash(None),
              fmt_bytes(p.bytes_per_task) if p.bytes_per_task is not None else dash(None))
    return t


def draw(data: SleepFanout, out_dir: Path) -> list[Path]:
    delays = data.delays()[:MAX_PANELS]
    fig, axes = figure.new_figure(ncols=len(delays))
    for ax, delay in zip(axes, delays):
        points = data.at_delay(delay)
        ns = sorted({p.tasks for p in points})
        lo, hi = min(ns), max(ns)
        ax.plot([lo, hi], [delay, delay], linestyle="--", color="black", linewidth=1,
                label="ideal concurrent: D")
        ax.plot([lo, hi], [lo * delay, hi * delay], linestyle=":", color="black", linewidth=1,
                label="sequential: N·D")
        for model in sorted({p.model for p in points}, key=schema.model_order):
            mine = sorted((p for p in points if p.model == model), key=lambda p: p.tasks)
            yerr = [p.wall_sd_ms or 0.0 for p in mine]
            ax.errorbar([p.tasks for p in mine], [p.wall_ms for p in mine],
                        yerr=yerr if any(yerr) else None, capsize=3, markersize=5,
                        **colors.line_kwargs(model))
        ax.set_xscale("log")
        ax.set_yscale("log")
        figure.plain_log_ticks(ax)
        ax.set_xlabel("tasks N (log)")
        ax.set_ylabel("wall time (ms, log)")
        ax.set_title(f"D = {fmt_ms(delay)} per task")
    figure.legend_outside(axes[-1], handles_from=axes)
    fig.suptitle("sleep_fanout: wall time to finish N sleeps of D ms")
    return figure.save(fig, out_dir, STEM)
