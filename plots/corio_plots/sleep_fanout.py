"""io/sleep_fanout: wall time vs number of tasks, log-log, with the ideal lines.

N tasks each wait D ms. A model that interleaves the waits finishes in about D whatever N
(the flat "ideal concurrent" line); one that waits one at a time needs N·D (the diagonal).
Each finding checks the run against these ideals with IDEAL_TOLERANCE and says by how much
it missed them otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corio_plots import colors, figure, schema
from corio_plots.load import REAL_TIME_NS, Results
from corio_plots.stats import Stat, errorbar, fmt_value, ranking_verdict
from corio_plots.table import Table, stat_cell
from corio_plots.units import fmt_bytes, fmt_count, fmt_ms, fmt_number, fmt_ratio

KEY = "io/sleep_fanout"
STEM = "sleep_fanout"
MAX_PANELS = 3
# A wall time within this fraction of its ideal (D, or N·D for sequential) "meets" it.
IDEAL_TOLERANCE = 0.10


@dataclass(frozen=True)
class Point:
    model: str
    tasks: int
    delay_ms: float
    wall: Stat  # ms
    overlap: Stat | None
    peak_rss_bytes: Stat | None
    bytes_per_task: Stat | None

    @property
    def wall_ms(self) -> float:
        return self.wall.median


# Why the suite stops a model before the others (workloads/io/sleep_fanout/README.md,
# "Machine limits"): said only where a model's last N is below the largest N of its delay and
# no failed run tells a better reason. (short, for a legend; long, for a finding)
STOP_REASONS: dict[str, tuple[str, str]] = {
    "threads": ("vm.max_map_count",
                "the suite stops threads there: each thread's stack mapping counts against "
                "vm.max_map_count (65530 mappings: about 30,000 threads on the reference VM)"),
    "processes": ("fork + reap cost",
                  "the suite stops processes there: forking and reaping the children, not the "
                  "wait, sets the wall time"),
    "thread_pool": ("queued: N / P rounds of D",
                    "the suite stops thread_pool there: beyond its pool its tasks queue and the "
                    "wall time grows as N / P rounds of D by design"),
    "sequential": ("N·D by design",
                   "the suite stops sequential there: one wait after another takes N·D by "
                   "design"),
}


@dataclass(frozen=True)
class Stop:
    """Where a model's sweep ended before the largest N of its delay, and why."""

    model: str
    delay_ms: float
    last_tasks: int
    largest_tasks: int  # the largest N any model ran at this delay
    short: str  # for a legend: "vm.max_map_count", "failed at N = 100,000"
    why: str  # for a finding


@dataclass
class SleepFanout:
    points: list[Point]
    notes: list[str] = field(default_factory=list)
    # (model, N, D, error message) of the runs that failed their check
    failures: list[tuple[str, int, float, str]] = field(default_factory=list)

    def delays(self) -> list[float]:
        return sorted({p.delay_ms for p in self.points})

    def at_delay(self, delay_ms: float) -> list[Point]:
        return [p for p in self.points if p.delay_ms == delay_ms]

    def stops(self, delay_ms: float) -> list[Stop]:
        """Every model whose sweep at this delay ended below the largest N, with why: a
        failed run beyond its last N (its message), else STOP_REASONS, else 'not run'."""
        points = self.at_delay(delay_ms)
        if not points:
            return []
        largest = max(p.tasks for p in points)
        out = []
        for model in sorted({p.model for p in points}, key=schema.model_order):
            last = max(p.tasks for p in points if p.model == model)
            if last >= largest:
                continue
            failed = sorted((n, msg) for m, n, d, msg in self.failures
                            if m == model and d == delay_ms and n > last)
            if failed:
                n, msg = failed[0]
                short = f"failed at N = {fmt_count(n)}"
                why = f"its run at N = {fmt_count(n)} failed: {msg}"
            elif model in STOP_REASONS:
                short, why = STOP_REASONS[model]
            else:
                short, why = "no larger N in this run", "the run holds no larger N for it"
            out.append(Stop(model=model, delay_ms=delay_ms, last_tasks=last,
                            largest_tasks=largest, short=short, why=why))
        return out


def compute(results: Results) -> SleepFanout | None:
    points: list[Point] = []
    notes: list[str] = []
    for m in results.ok_measurements(KEY):
        tasks, delay = m.name.param_float("tasks"), m.name.param_float("delay_ms")
        if tasks is None or delay is None or tasks <= 0 or delay <= 0:
            notes.append(f"{m.name.base}: no positive numeric tasks:/delay_ms: parameters; "
                         "not drawn")
            continue
        wall_ns = m.stat(REAL_TIME_NS)
        assert wall_ns is not None
        overlap = m.stat(schema.OVERLAP)
        if overlap is None:
            overlap = wall_ns.map(lambda ns, t=tasks, d=delay: t * d * 1e6 / ns)
        points.append(Point(
            model=m.model, tasks=int(tasks), delay_ms=delay, wall=wall_ns.scaled(1e-6),
            overlap=overlap, peak_rss_bytes=m.stat(schema.PEAK_RSS_BYTES),
            bytes_per_task=m.stat(schema.BYTES_PER_TASK)))
    if not points:
        return None
    failures = [(m.model, int(m.name.param_float("tasks") or 0),
                 m.name.param_float("delay_ms") or 0.0, m.error or "")
                for m in results.measurements(KEY) if m.error is not None]
    return SleepFanout(points=points, notes=notes, failures=failures)


def ideal_check(wall_ms: float, ideal_ms: float) -> str:
    """'within 10% of X' or how far from it, for a wall time against its ideal."""
    ratio = wall_ms / ideal_ms
    pct = f"{IDEAL_TOLERANCE * 100:.0f}%"
    if abs(ratio - 1) <= IDEAL_TOLERANCE:
        return f"within {pct} of the ideal {fmt_ms(ideal_ms)}"
    if ratio > 1:
        return (f"{fmt_ratio(ratio)} the ideal {fmt_ms(ideal_ms)}, {fmt_ms(wall_ms - ideal_ms)} "
                f"beyond it (more than {pct})")
    return (f"{fmt_ratio(1 / ratio)} below the ideal {fmt_ms(ideal_ms)}, "
            f"{fmt_ms(ideal_ms - wall_ms)} under it (more than {pct})")


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
                f"{fmt_value(lead.wall, fmt_ms)}: {ideal_check(lead.wall_ms, delay)} for "
                f"overlapping waits (N·D / wall = {fmt_count(n_max * delay / lead.wall_ms)} "
                f"sleeps at once; one after another they take N·D = "
                f"{fmt_ms(n_max * delay)}).")
            if len(at_max) > 1:
                ranked = ", ".join(f"{p.model} {fmt_value(p.wall, fmt_ms)}" for p in at_max)
                met = [p.model for p in at_max
                       if abs(p.wall_ms / delay - 1) <= IDEAL_TOLERANCE]
                ideal = (f"within {IDEAL_TOLERANCE * 100:.0f}% of the ideal: "
                         + (", ".join(met) if met else "none"))
                verdict = ranking_verdict([(p.model, p.wall) for p in at_max])
                out.append(f"At N = {fmt_count(n_max)}, D = {fmt_ms(delay)} (ideal "
                           f"{fmt_ms(delay)}): {ranked}; {ideal}; {verdict}.")
            why = {st.model: st.why for st in data.stops(delay)}
            for model in sorted({p.model for p in concurrent} - {p.model for p in at_max},
                                key=schema.model_order):
                last = max((p for p in concurrent if p.model == model), key=lambda p: p.tasks)
                out.append(f"{model} ran up to N = {fmt_count(last.tasks)} only: "
                           f"{fmt_value(last.wall, fmt_ms)} at D = {fmt_ms(delay)}, "
                           f"{ideal_check(last.wall_ms, delay)}"
                           + (f"; {why[model]}" if model in why else "") + ".")
        for p in (p for p in points if p.model == schema.SEQUENTIAL):
            out.append(f"sequential took {fmt_value(p.wall, fmt_ms)} for {fmt_count(p.tasks)} "
                       f"sleeps of {fmt_ms(delay)}: {ideal_check(p.wall_ms, p.tasks * delay)} "
                       "for waits one after another (N·D).")
    return out


def table(data: SleepFanout) -> Table:
    t = Table(["model", "tasks", "delay", "wall time", "overlap (N·D / wall)", "peak RSS",
               "bytes per task"])
    for p in sorted(data.points, key=lambda p: (p.delay_ms, schema.model_order(p.model), p.tasks)):
        t.add(p.model, fmt_count(p.tasks), fmt_ms(p.delay_ms),
              stat_cell(p.wall, fmt_ms, primary=True), stat_cell(p.overlap, fmt_number),
              stat_cell(p.peak_rss_bytes, fmt_bytes), stat_cell(p.bytes_per_task, fmt_bytes))
    return t


def shows(data: SleepFanout) -> str:
    """One line: what the chart shows, computed from its data."""
    parts = []
    for delay in data.delays():
        points = [p for p in data.at_delay(delay) if p.model != schema.SEQUENTIAL]
        if not points:
            continue
        n_max = max(p.tasks for p in points)
        at_max = [p for p in points if p.tasks == n_max]
        met = [p.model for p in at_max if abs(p.wall_ms / delay - 1) <= IDEAL_TOLERANCE]
        missed = [p.model for p in at_max if p.model not in met]
        text = f"D = {fmt_ms(delay)}, N = {fmt_count(n_max)}: "
        text += (f"within {IDEAL_TOLERANCE * 100:.0f}% of D: {', '.join(met)}" if met else
                 f"no model within {IDEAL_TOLERANCE * 100:.0f}% of D")
        if missed:
            text += f"; beyond it: {', '.join(missed)}"
        stopped = [f"{st.model} at {fmt_count(st.last_tasks)}" for st in data.stops(delay)]
        if stopped:
            text += f"; stopped earlier: {', '.join(stopped)}"
        parts.append(text)
    return ("Wall time for N sleeps of D against the ideals: D when the waits overlap "
            "(dashed), N·D one after another (dotted)" + ("; " + "; ".join(parts) if parts
                                                          else "") + ".")


RING_LABEL = "ring: where a model stopped (why: below)"


def mark_stops(ax: Any, stops: list[Stop], y_of: dict[tuple[str, int], float]) -> None:
    """A ring around the last point of each model that stopped early (one legend entry for
    them all; stops_note says why, under the chart)."""
    for i, st in enumerate(stops):
        y = y_of.get((st.model, st.last_tasks))
        if y is None:
            continue
        ax.plot([st.last_tasks], [y], linestyle="none", marker="o", markersize=13,
                markerfacecolor="none", markeredgewidth=1.2,
                markeredgecolor=colors.style(st.model).color,
                label=RING_LABEL if i == 0 else "_nolegend_")


def stops_note(stops: list[Stop], delay_ms: float | None = None) -> str:
    """'Stopped early (D = 10 ms): threads at N = 10,000 (vm.max_map_count); ...'."""
    if not stops:
        return ""
    where = f" (D = {fmt_ms(delay_ms)})" if delay_ms is not None else ""
    return (f"Stopped early{where}: " + "; ".join(
        f"{st.model} at N = {fmt_count(st.last_tasks)} ({st.short})" for st in stops) + ".")


def draw(data: SleepFanout, out_dir: Path) -> list[Path]:
    delays = data.delays()[:MAX_PANELS]
    fig, axes = figure.new_figure(ncols=len(delays), height_in=5.8)
    for ax, delay in zip(axes, delays):
        points = data.at_delay(delay)
        ns = sorted({p.tasks for p in points})
        lo, hi = min(ns), max(ns)
        # The ideal lines are references (gid): clipped by the measured range, never setting it.
        ax.plot([lo, hi], [delay, delay], linestyle="--", color="black", linewidth=1,
                label="ideal concurrent: D", gid="reference")
        ax.plot([lo, hi], [lo * delay, hi * delay], linestyle=":", color="black", linewidth=1,
                label="sequential: N·D", gid="reference")
        y_of: dict[tuple[str, int], float] = {}
        for model in sorted({p.model for p in points}, key=schema.model_order):
            mine = sorted((p for p in points if p.model == model), key=lambda p: p.tasks)
            ax.errorbar([p.tasks for p in mine], [p.wall_ms for p in mine],
                        yerr=errorbar([p.wall for p in mine]), capsize=3, markersize=5,
                        **colors.line_kwargs(model))
            y_of.update({(model, p.tasks): p.wall_ms for p in mine})
        mark_stops(ax, data.stops(delay), y_of)
        figure.log_axis(ax, "x", ns, margin=1.8, label_values=ns)
        figure.log_axis(ax, "y", figure.stat_values(p.wall for p in points) + [delay])
        ax.set_xlabel("tasks N (log)")
        ax.set_title(f"D = {fmt_ms(delay)} per task", fontsize=9)
    axes[0].set_ylabel("wall time (ms, log)")
    note = " ".join(stops_note(data.stops(d), d if len(delays) > 1 else None) for d in delays)
    bottom = figure.footnote(fig, note.strip())
    bottom = figure.legend_below(fig, axes, ncol=5, bottom=bottom)
    fig.suptitle("sleep_fanout: wall time to finish N sleeps of D ms\n"
                 f"({figure.bars_caption(p.wall for p in data.points)}; a ring marks where a "
                 "model stopped)")
    return figure.save(fig, out_dir, STEM, rect=(0, bottom, 1, 1))
