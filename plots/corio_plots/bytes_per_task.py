"""Bytes per task per model: the memory one idle task (or thread) holds.

Sources, each a group of bars: runtime/task_memory (an idle task), runtime/timers (a task
waiting on a timer) and io/sleep_fanout (a sleeping task, at the largest N each model ran).
Log scale: a thread's stack is two orders of magnitude above a coroutine frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from corio_plots import colors, figure, schema
from corio_plots.load import Results
from corio_plots.table import Table
from corio_plots.units import fmt_bytes, fmt_times

STEM = "bytes_per_task"
SOURCES: dict[str, str] = {
    "runtime/task_memory": "idle task",
    "runtime/timers": "task on a timer",
    "io/sleep_fanout": "sleeping task (sleep_fanout)",
}


@dataclass(frozen=True)
class Entry:
    source: str
    model: str
    point: str
    bytes_per_task: float


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
    for source in SOURCES:
        best: dict[str, Entry] = {}
        for m in results.ok_measurements(source):
            value = m.value(schema.BYTES_PER_TASK)
            if value is None or value <= 0:
                continue  # not measured (a sequential run holds no waiting task)
            entry = Entry(source=source, model=m.model, point=m.name.label, bytes_per_task=value)
            # Per model, the point with the most tasks: fixed costs amortised the most.
            if m.model not in best or _size(entry.point) > _size(best[m.model].point):
                best[m.model] = entry
        entries += best.values()
    if not entries:
        return None
    return BytesPerTask(entries=entries)


def findings(data: BytesPerTask) -> list[str]:
    out = []
    for source in data.sources():
        es = sorted((e for e in data.entries if e.source == source),
                    key=lambda e: schema.model_order(e.model))
        ref = next((e for e in es if e.model == schema.CORIO),
                   min(es, key=lambda e: e.bytes_per_task))
        parts = [f"{ref.model} {fmt_bytes(ref.bytes_per_task)}"]
        for e in sorted(es, key=lambda e: e.bytes_per_task):
            if e is not ref:
                at = f" at {e.point}" if e.point != ref.point else ""
                parts.append(f"{e.model} {fmt_bytes(e.bytes_per_task)}{at} "
                             f"({fmt_times(e.bytes_per_task / ref.bytes_per_task)})")
        out.append(f"Memory per {SOURCES[source]} ({ref.point}): " + ", ".join(parts) + ".")
    return out


def table(data: BytesPerTask) -> Table:
    t = Table(["model", "measured by", "parameters", "bytes per task"])
    for e in sorted(data.entries, key=lambda e: (list(SOURCES).index(e.source),
                                                 schema.model_order(e.model))):
        t.add(e.model, e.source, e.point or "–", fmt_bytes(e.bytes_per_task))
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
        bars = ax.bar(xs, ys, width, **colors.bar_kwargs(model))
        figure.label_bars(ax, bars, [fmt_bytes(y) for y in ys])
    ax.set_xticks(x, [SOURCES[s] for s in sources])
    ax.set_yscale("log")
    figure.log_bar_floor(ax, [e.bytes_per_task for e in data.entries])
    figure.plain_log_ticks(ax, "y")
    ax.set_ylabel("resident memory per task (bytes, log)")
    ax.set_xlabel("what the task was doing")
    ax.set_title("bytes per task per model (lower is better)")
    figure.legend_outside(ax)
    return figure.save(fig, out_dir, STEM)
