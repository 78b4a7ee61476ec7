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

import numpy as np

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


def draw(data: BytesPerTask, out_dir: Path) -> list[Path]:
    fig, (ax,) = figure.new_figure()
    sources = data.sources()
    models = sorted({e.model for e in data.entries}, key=schema.model_order)
    width = 0.8 / len(models)
    x = np.arange(len(sources))
    for i, model in enumerate(models):
        by_source = {e.source: e for e in data.entries if e.model == model}
        xs = [x[j] + (i - (len(models) - 1) / 2) * width
              for j, s in enumerate(sources) if s in by_source]
        ys = [by_source[s].bytes_per_task for s in sources if s in by_source]
        yerr = errorbar([by_source[s].stat for s in sources if s in by_source])
        bars = ax.bar(xs, ys, width, yerr=yerr, capsize=2, error_kw={"linewidth": 1},
                      **colors.bar_kwargs(model))
        figure.label_bars(ax, bars, [fmt_bytes(y) for y in ys], above=yerr[1] if yerr else None)
    ax.set_xticks(x, [SOURCES[s] for s in sources])
    ax.set_yscale("log")
    figure.log_bar_floor(ax, [v for e in data.entries for v in (e.stat.lo, e.stat.hi)])
    figure.plain_log_ticks(ax, "y")
    ax.set_ylabel("resident memory per task (bytes, log)")
    ax.set_xlabel("what the task was doing")
    ax.set_title("bytes per task per model (lower is better)\n"
                 f"({figure.bars_caption(e.stat for e in data.entries)})")
    figure.legend_outside(ax)
    return figure.save(fig, out_dir, STEM)
