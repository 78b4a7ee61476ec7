"""Scale to failure: how many concurrent waits each model takes before it stops, and what
they cost in wall time and memory (io/sleep_fanout at its most-swept delay).

Left: wall time vs N; right: the process's peak resident memory vs N; both log-log, each
point the median with its min–max error bars. A ring marks the last N of a model that stopped
before the others, and the note under the chart says why: a failed run's message when there is one,
else the limit the workload's README gives (sleep_fanout.STOP_REASONS). The findings compare
memory at the largest N each model reached, ranked only beyond noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from corio_plots import colors, figure, schema, sleep_fanout
from corio_plots.load import Results
from corio_plots.sleep_fanout import Point, Stop
from corio_plots.stats import errorbar, fmt_value, ranking_verdict
from corio_plots.table import Table, stat_cell
from corio_plots.units import fmt_bytes, fmt_count, fmt_ms

STEM = "scale_to_failure"


@dataclass
class ScaleToFailure:
    delay_ms: float
    points: list[Point]  # those at delay_ms
    stops: list[Stop]
    notes: list[str] = field(default_factory=list)

    def models(self) -> list[str]:
        return sorted({p.model for p in self.points}, key=schema.model_order)

    def of(self, model: str) -> list[Point]:
        return sorted((p for p in self.points if p.model == model), key=lambda p: p.tasks)


def compute(results: Results) -> ScaleToFailure | None:
    fan = sleep_fanout.compute(results)
    if fan is None:
        return None
    delays = fan.delays()
    delay = max(delays, key=lambda d: (len({p.tasks for p in fan.at_delay(d)}), -d))
    notes = []
    if len(delays) > 1:
        notes.append(f"scale_to_failure shows D = {fmt_ms(delay)}, the delay with the most N; "
                     "sleep_fanout's chart has every delay")
    return ScaleToFailure(delay_ms=delay, points=fan.at_delay(delay), stops=fan.stops(delay),
                          notes=notes)


def _last(data: ScaleToFailure, model: str) -> Point:
    return data.of(model)[-1]


def findings(data: ScaleToFailure) -> list[str]:
    out = []
    largest = max(p.tasks for p in data.points)
    reached = [m for m in data.models() if _last(data, m).tasks == largest]
    if reached:
        out.append(f"At D = {fmt_ms(data.delay_ms)}, {', '.join(reached)} ran up to the largest "
                   f"N, {fmt_count(largest)}.")
    for st in data.stops:
        out.append(f"{st.model} stopped at N = {fmt_count(st.last_tasks)} of "
                   f"{fmt_count(st.largest_tasks)}: {st.why}.")
    at_top = [(m, _last(data, m)) for m in reached]
    with_rss = [(m, p) for m, p in at_top if p.peak_rss_bytes is not None]
    if len(with_rss) >= 2:
        ordered = sorted(with_rss, key=lambda mp: mp[1].peak_rss_bytes.median)  # type: ignore
        listed = ", ".join(f"{m} {fmt_value(p.peak_rss_bytes, fmt_bytes)}"  # type: ignore
                           for m, p in ordered)
        verdict = ranking_verdict([(m, p.peak_rss_bytes) for m, p in ordered])  # type: ignore
        out.append(f"Peak memory at N = {fmt_count(largest)}: {listed}"
                   + (f"; {verdict}" if verdict else "") + ".")
    return out


def shows(data: ScaleToFailure) -> str:
    """One line: what the chart shows, computed from its data."""
    largest = max(p.tasks for p in data.points)
    reached = [m for m in data.models() if _last(data, m).tasks == largest]
    text = (f"How many concurrent sleeps each model takes (D = {fmt_ms(data.delay_ms)}) and "
            f"what they cost: {', '.join(reached) or 'no model'} reached N = "
            f"{fmt_count(largest)}")
    if data.stops:
        text += "; stopped earlier: " + ", ".join(
            f"{st.model} at {fmt_count(st.last_tasks)} ({st.short})" for st in data.stops)
    return text + "."


def table(data: ScaleToFailure) -> Table:
    t = Table(["model", "largest N", "wall time there", "peak RSS there", "stopped because"])
    why = {st.model: st.why for st in data.stops}
    for model in data.models():
        p = _last(data, model)
        t.add(model, fmt_count(p.tasks), stat_cell(p.wall, fmt_ms, primary=True),
              stat_cell(p.peak_rss_bytes, fmt_bytes), why.get(model, "– (ran the largest N)"))
    t.numeric = False
    return t


def draw(data: ScaleToFailure, out_dir: Path) -> list[Path]:
    fig, (ax_wall, ax_rss) = figure.new_figure(ncols=2, height_in=5.8)
    ns = sorted({p.tasks for p in data.points})
    wall_y: dict[tuple[str, int], float] = {}
    rss_y: dict[tuple[str, int], float] = {}
    rss_values: list[float] = []
    for model in data.models():
        mine = data.of(model)
        ax_wall.errorbar([p.tasks for p in mine], [p.wall_ms for p in mine],
                         yerr=errorbar([p.wall for p in mine]), capsize=3, markersize=5,
                         **colors.line_kwargs(model))
        wall_y.update({(model, p.tasks): p.wall_ms for p in mine})
        rss = [(p.tasks, p.peak_rss_bytes.scaled(1 / 2**20)) for p in mine
               if p.peak_rss_bytes is not None and p.peak_rss_bytes.lo > 0]
        if rss:
            ax_rss.errorbar([n for n, _ in rss], [s.median for _, s in rss],
                            yerr=errorbar([s for _, s in rss]), capsize=3, markersize=5,
                            **colors.line_kwargs(model))
            rss_y.update({(model, n): s.median for n, s in rss})
            rss_values += figure.stat_values(s for _, s in rss)
    sleep_fanout.mark_stops(ax_wall, data.stops, wall_y)
    for st in data.stops:  # the same rings on the memory panel, without a second legend entry
        if (st.model, st.last_tasks) in rss_y:
            ax_rss.plot([st.last_tasks], [rss_y[(st.model, st.last_tasks)]], linestyle="none",
                        marker="o", markersize=13, markerfacecolor="none",
                        markeredgewidth=1.2, markeredgecolor=colors.style(st.model).color)
    for ax in (ax_wall, ax_rss):
        figure.log_axis(ax, "x", ns, margin=1.8, label_values=ns)
        ax.set_xlabel("concurrent sleeping tasks N (log)")
    figure.log_axis(ax_wall, "y", figure.stat_values(p.wall for p in data.points))
    ax_wall.set_ylabel("wall time (ms, log)")
    ax_wall.set_title("wall time vs N", fontsize=9)
    if rss_values:
        figure.log_axis(ax_rss, "y", rss_values)
    ax_rss.set_ylabel("peak resident memory (MiB, log)")
    ax_rss.set_title("memory vs N", fontsize=9)
    bottom = figure.footnote(fig, sleep_fanout.stops_note(data.stops))
    bottom = figure.legend_below(fig, [ax_wall, ax_rss], ncol=5, bottom=bottom)
    fig.suptitle(f"scale to failure: N tasks sleeping D = {fmt_ms(data.delay_ms)} at once\n"
                 "a ring marks where a model stopped, the note below says why\n"
                 f"({figure.bars_caption(p.wall for p in data.points)})")
    return figure.save(fig, out_dir, STEM, rect=(0, bottom, 1, 1))
