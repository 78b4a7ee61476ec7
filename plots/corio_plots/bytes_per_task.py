"""Bytes per task per model: the memory one idle task (or thread) holds.

Sources, each a group of bars: runtime/task_memory (an idle task), runtime/timers (a task
waiting on a timer) and io/sleep_fanout (a sleeping task, at the largest N each model ran).
Log scale: a thread's stack is two orders of magnitude above a coroutine frame. A model that
does not report the counter for a source (or reports no growth) is absent from that source's
comparison, and so is a model whose tasks there are not what the source measures
(sleep_fanout's thread_pool: beyond its pool size its tasks are queued closures, not sleeping
tasks); one note per source names them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from corio_plots import colors, figure, schema
from corio_plots.load import Results
from corio_plots.stats import Stat, errorbar, fmt_value, ranking_verdict, within_noise
from corio_plots.table import Table, stat_cell
from corio_plots.units import fmt_bytes, fmt_times

STEM = "bytes_per_task"
SOURCES: dict[str, str] = {
    "runtime/task_memory": "idle task",
    "runtime/timers": "task on a timer",
    "io/sleep_fanout": "sleeping task (sleep_fanout)",
}
# Models whose "tasks" in a source are not what the source compares: never in its comparison.
NOT_COMPARABLE: dict[str, dict[str, str]] = {
    "io/sleep_fanout": {"thread_pool": "beyond its pool size its tasks are queued closures, "
                                       "not sleeping tasks"},
}


@dataclass(frozen=True)
class Entry:
    source: str
    model: str
    point: str
    stat: Stat

    @property
    def bytes_per_task(self) -> float:
        return self.stat.median


@dataclass
class BytesPerTask:
    entries: list[Entry]
    notes: list[str] = field(default_factory=list)

    def sources(self) -> list[str]:
        return [s for s in SOURCES if any(e.source == s for e in self.entries)]


def _size(label: str) -> float:
    """The largest number among a point's parameters: which point has the most tasks."""
    numbers = []
    for part in label.split():
        try:
            numbers.append(float(part.partition(":")[2]))
        except ValueError:
            pass
    return max(numbers, default=0.0)


def compute(results: Results) -> BytesPerTask | None:
    entries: list[Entry] = []
    notes: list[str] = []
    for source in SOURCES:
        best: dict[str, Entry] = {}
        absent: dict[str, str] = {}
        excluded = NOT_COMPARABLE.get(source, {})
        for m in results.ok_measurements(source):
            if m.model in excluded:
                absent[m.model] = excluded[m.model]
                continue
            value = m.stat(schema.BYTES_PER_TASK)
            if value is None or value.median <= 0:
                absent.setdefault(m.model, "no bytes_per_task counter" if value is None
                                  else "no memory growth measured")
                continue
            entry = Entry(source=source, model=m.model, point=m.name.label, stat=value)
            # Per model, the point with the most tasks: fixed costs amortised the most.
            if m.model not in best or _size(entry.point) > _size(best[m.model].point):
                best[m.model] = entry
        entries += best.values()
        gone = {model: why for model, why in absent.items() if model not in best}
        if gone and best:
            listed = "; ".join(f"{model} ({why})" for model, why in
                               sorted(gone.items(), key=lambda kv: schema.model_order(kv[0])))
            notes.append(f"{source}: absent from the memory per {SOURCES[source]} comparison: "
                         f"{listed}")
    if not entries:
        return None
    return BytesPerTask(entries=entries, notes=notes)


def findings(data: BytesPerTask) -> list[str]:
    out = []
    for source in data.sources():
        es = sorted((e for e in data.entries if e.source == source),
                    key=lambda e: schema.model_order(e.model))
        ref = next((e for e in es if e.model == schema.CORIO),
                   min(es, key=lambda e: e.bytes_per_task))
        parts = [f"{ref.model} {fmt_value(ref.stat, fmt_bytes)}"]
        for e in sorted(es, key=lambda e: e.bytes_per_task):
            if e is not ref:
                at = f" at {e.point}" if e.point != ref.point else ""
                vs = (f"within noise of {ref.model}" if within_noise(e.stat, ref.stat)
                      else fmt_times(e.bytes_per_task / ref.bytes_per_task))
                parts.append(f"{e.model} {fmt_value(e.stat, fmt_bytes)}{at} ({vs})" if at
                             else f"{e.model} {fmt_value(e.stat, fmt_bytes, vs)}")
        verdict = ranking_verdict([(e.model, e.stat) for e in es])
        out.append(f"Memory per {SOURCES[source]} ({ref.point}): " + ", ".join(parts)
                   + (f"; {verdict}" if verdict else "") + ".")
    return out


def table(data: BytesPerTask) -> Table:
    t = Table(["model", "measured by", "parameters", "bytes per task"])
    for e in sorted(data.entries, key=lambda e: (list(SOURCES).index(e.source),
                                                 schema.model_order(e.model))):
        t.add(e.model, e.source, e.point or "–", stat_cell(e.stat, fmt_bytes, primary=True))
    return t


def shows(data: BytesPerTask) -> str:
    """One line: what the chart shows, computed from its data."""
    parts = []
    for source in data.sources():
        es = sorted((e for e in data.entries if e.source == source),
                    key=lambda e: e.bytes_per_task)
        if len(es) < 2:
            continue
        lo, hi = es[0], es[-1]
        ratio = hi.bytes_per_task / lo.bytes_per_task
        apart = lo.stat.hi < hi.stat.lo
        parts.append(f"{SOURCES[source]}: {lo.model} {fmt_bytes(lo.bytes_per_task)} to "
                     f"{hi.model} {fmt_bytes(hi.bytes_per_task)}"
                     + (f" ({fmt_times(ratio)})" if apart else " (within noise)"))
    text = "Resident memory one waiting task (or thread) holds, per model (log scale)"
    return text + (": " + "; ".join(parts) if parts else "") + "."


def draw(data: BytesPerTask, out_dir: Path) -> list[Path]:
    sources = data.sources()
    fig, (ax,) = figure.new_figure(height_in=2.6 + 0.55 * len(sources))
    models = sorted({e.model for e in data.entries}, key=schema.model_order)
    for model in models:
        ys, xs, stats = [], [], []
        for r, source in enumerate(sources):
            in_row = sorted({e.model for e in data.entries if e.source == source},
                            key=schema.model_order)
            for e in data.entries:
                if e.source == source and e.model == model:
                    ys.append(r + figure.dodge(in_row.index(model), len(in_row)))
                    xs.append(e.bytes_per_task)
                    stats.append(e.stat)
        ax.errorbar(xs, ys, xerr=errorbar(stats), capsize=2, markersize=7,
                    **colors.dot_kwargs(model))
    ax.set_yticks(range(len(sources)), [SOURCES[s] for s in sources], fontsize=8)
    ax.set_ylim(len(sources) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    figure.log_axis(ax, "x", figure.stat_values(e.stat for e in data.entries))
    ax.set_xlabel("resident memory per task (bytes, log; left is smaller)")
    ax.set_title("bytes per task per model (lower is better)\n"
                 f"({figure.bars_caption(e.stat for e in data.entries)})")
    absent = [n.split(": absent from the memory per ", 1) for n in data.notes]
    text = "; ".join(f"{src.split('/')[-1]}: {rest.split(': ', 1)[-1]}"
                     for src, rest in (a for a in absent if len(a) == 2))
    bottom = figure.footnote(fig, f"No dot: {text}." if text else "")
    figure.legend_outside(ax)
    return figure.save(fig, out_dir, STEM, rect=(0, bottom, 1, 1))
