"""corio beside the models in other languages (Python's asyncio and uvloop, Go, tokio), as
same-run ratios: what one operation, one sleeping task, one request costs in each, against
corio's figure measured in the same run on the same machine.

Each figure is a workload's headline, taken where both models ran the same operation:
- runtime costs (spawn+join, switch, gather per child): ns per operation, each model's point
  of the same operation (via:yield with via:yield), at its own size (the Python rows run fewer
  tasks: a cost per operation does not depend on how many were run, within noise);
- skynet: ns per leaf (total time / leaves), since the Python rows run a smaller tree;
- sleep_fanout: wall time at the largest N both models ran, at the run's first delay;
- tcp_echo and http_plaintext: requests/s at the same load point (connections, size);
- memory per idle and per sleeping task: bytes per task at each model's largest size.
A ratio is the other model's figure over corio's, so 12x on a cost means twelve times corio's
cost and 0.5x on a throughput means half of corio's requests; two figures whose min–max
intervals overlap are "within noise" of each other rather than a ratio.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from corio_plots import bytes_per_task, runtime_cost, schema, sleep_fanout, throughput
from corio_plots.load import Results
from corio_plots.stats import Stat, fmt_value, within_noise
from corio_plots.table import Table, stat_cell
from corio_plots.units import fmt_bytes, fmt_count, fmt_duration_ns, fmt_ms, fmt_times

# The models in other languages, in the order the table shows them.
OTHER_LANGUAGES: tuple[str, ...] = ("py_asyncio", "py_uvloop", "py_threads", "py_processes",
                                    "go", "go_mt", "tokio", "tokio_mt")
PY_ASYNCIO = "py_asyncio"
PY_UVLOOP = "py_uvloop"


@dataclass(frozen=True)
class Figure:
    """One model's figure for one row, and the point it was measured at."""
    stat: Stat
    point: str


@dataclass
class Row:
    what: str  # "spawn + join (ns per task)"
    lower_is_better: bool
    fmt: Callable[[float], str]
    figures: dict[str, Figure] = field(default_factory=dict)  # model -> its figure
    # corio's figure at each point it ran, when a ratio needs the same point (sleep_fanout at
    # the same N, a server at the same load); empty when figures per operation compare as
    # they are.
    corio_at: dict[str, Figure] = field(default_factory=dict)

    def reference(self, model: str, reference: str = schema.CORIO) -> Figure | None:
        """The reference's figure to set `model`'s against."""
        mine = self.figures.get(model)
        if mine is None:
            return None
        if reference == schema.CORIO and self.corio_at:
            return self.corio_at.get(mine.point)
        ref = self.figures.get(reference)
        if ref is not None and self.corio_at and ref.point != mine.point:
            return None  # a same-point row: two models at different points do not compare
        return ref


@dataclass
class Languages:
    rows: list[Row]
    models: list[str]  # the other-language models present, in OTHER_LANGUAGES order
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.models or not self.rows


def _label_params(label: str) -> dict[str, str]:
    return dict(p.split(":", 1) for p in label.split() if ":" in p)


def _per_op_rows(results: Results) -> list[Row]:
    cost = runtime_cost.compute(results)
    if cost is None:
        return []
    rows: list[Row] = []
    for workload, what in schema.RUNTIME_PER_OP.items():
        costs = [c for c in cost.every or cost.per_op if c.workload == workload]
        corio = next((c for c in costs if c.model == schema.CORIO), None)
        if corio is None:
            continue
        # The same operation as corio's headline point (via:yield with via:yield).
        operation = runtime_cost.variant(workload, corio.point)
        row = Row(f"{what} (ns per operation)", True, fmt_duration_ns)
        for c in costs:
            if c.model in row.figures or runtime_cost.variant(workload, c.point) != operation:
                continue
            row.figures[c.model] = Figure(c.stat, c.point)
        rows.append(row)
    row = Row("skynet (ns per leaf)", True, fmt_duration_ns)
    for c in cost.skynet:
        leaves = _label_params(c.point).get("leaves")
        if leaves and float(leaves) > 0:
            row.figures[c.model] = Figure(c.stat.map(lambda t, n=float(leaves): t / n), c.point)
    if schema.CORIO in row.figures:
        rows.append(row)
    return rows


def _sleep_row(results: Results) -> Row | None:
    data = sleep_fanout.compute(results)
    if data is None or not data.delays():
        return None
    delay = data.delays()[0]
    points = data.at_delay(delay)
    corio_ns = {p.tasks for p in points if p.model == schema.CORIO}
    if not corio_ns:
        return None
    row = Row(f"sleep_fanout, wall time of N sleeps of {fmt_ms(delay)} (ms)", True, fmt_ms)
    row.corio_at = {f"tasks:{p.tasks}": Figure(p.wall, f"tasks:{p.tasks}") for p in points
                    if p.model == schema.CORIO}
    # Each model at the largest N corio also ran, against corio's figure at that N.
    for model in dict.fromkeys(p.model for p in points):
        shared = [p for p in points if p.model == model and p.tasks in corio_ns]
        if shared:
            mine = max(shared, key=lambda p: p.tasks)
            row.figures[model] = Figure(mine.wall, f"tasks:{mine.tasks}")
    return row


def _throughput_rows(results: Results) -> list[Row]:
    rows: list[Row] = []
    for key in throughput.KEYS:
        data = throughput.compute(results, key)
        if data is None:
            continue
        bars = [b for b in data.bars if not b.model.startswith(schema.WRK_PREFIX)]
        corio_points = [b.point for b in bars if b.model == schema.CORIO]
        if not corio_points:
            continue
        row = Row(f"{key.split('/')[-1]} (requests/s)", False, lambda v: f"{fmt_count(v)}/s")
        row.corio_at = {b.point: Figure(b.rps_stat, b.point) for b in bars
                        if b.model == schema.CORIO}
        for model in dict.fromkeys(b.model for b in bars):
            mine = {b.point: b for b in bars if b.model == model}
            # The point with the most connections both ran: a server under load.
            shared = [p for p in corio_points if p in mine]
            if shared:
                point = max(shared, key=lambda p: float(_label_params(p).get("conns", 0)))
                row.figures[model] = Figure(mine[point].rps_stat, point)
        rows.append(row)
    return rows


def _memory_rows(results: Results) -> list[Row]:
    data = bytes_per_task.compute(results)
    if data is None:
        return []
    rows: list[Row] = []
    for source in dict.fromkeys(e.source for e in data.entries):
        entries = [e for e in data.entries if e.source == source]
        what = bytes_per_task.SOURCES.get(source, "task")
        row = Row(f"memory per {what} (bytes)", True, fmt_bytes)
        for e in entries:  # one per model: its point with the most tasks
            row.figures[e.model] = Figure(e.stat, e.point)
        if schema.CORIO in row.figures:
            rows.append(row)
    return rows


def compute(results: Results) -> Languages | None:
    rows = [*_per_op_rows(results)]
    if (sleep := _sleep_row(results)) is not None:
        rows.append(sleep)
    rows += _throughput_rows(results)
    rows += _memory_rows(results)
    rows = [r for r in rows if schema.CORIO in r.figures]
    present = {m for r in rows for m in r.figures}
    models = [m for m in OTHER_LANGUAGES if m in present]
    if not models:
        return None
    notes = []
    if any(r.figures[m].point != r.figures[schema.CORIO].point
           for r in rows for m in models if m in r.figures and not r.corio_at):
        notes.append("languages: where a model ran another size than corio (the Python rows "
                     "run fewer tasks), its figure is per operation, per leaf or per task at "
                     "its own size; the table gives each figure's point")
    return Languages(rows=rows, models=models, notes=notes)


def ratio(row: Row, model: str, reference: str = schema.CORIO) -> str | None:
    """model's figure over the reference's in this row: '13.6x', 'within noise', None when
    either did not run it (or, in a same-point row, not at the same point)."""
    mine, ref = row.figures.get(model), row.reference(model, reference)
    if mine is None or ref is None:
        return None
    if within_noise(mine.stat, ref.stat):
        return "within noise"
    return fmt_times(mine.stat.median / ref.stat.median)


def findings(data: Languages) -> list[str]:
    """One line per model in another language: its ratios to corio's, row by row; and
    py_uvloop's to py_asyncio's, the one change being the loop."""
    out: list[str] = []
    for model in data.models:
        parts = [f"{r.what.split(' (')[0]} {fmt_value(r.figures[model].stat, r.fmt)} "
                 f"({ratio(r, model)})" for r in data.rows
                 if model in r.figures and ratio(r, model) is not None]
        if parts:
            out.append(f"{model} against corio, same run (its figure, then its figure over "
                       f"corio's): " + "; ".join(parts) + ".")
    if PY_ASYNCIO in data.models and PY_UVLOOP in data.models:
        parts = [f"{r.what.split(' (')[0]} {ratio(r, PY_UVLOOP, PY_ASYNCIO)}" for r in data.rows
                 if ratio(r, PY_UVLOOP, PY_ASYNCIO) is not None]
        if parts:
            out.append("py_uvloop against py_asyncio, the same code on another loop (py_uvloop's "
                       "figure over py_asyncio's): " + "; ".join(parts) + ".")
    return out


def table(data: Languages) -> Table:
    t = Table(["figure", "corio", *[f"{m} (x corio)" for m in data.models]])
    for r in data.rows:
        corio = r.figures[schema.CORIO]
        cells = []
        for m in data.models:
            if m not in r.figures:
                cells.append("–")
                continue
            f = r.figures[m]
            at = f" at {f.point}" if f.point != corio.point else ""
            if (ref := r.reference(m)) is not None and ref.point != corio.point:
                at += f" (corio there: {stat_cell(ref.stat, r.fmt)})"
            cells.append(f"{stat_cell(f.stat, r.fmt)}{at} ({ratio(r, m) or '–'})")
        t.add(r.what, stat_cell(corio.stat, r.fmt) + (f" at {corio.point}" if corio.point else ""),
              *cells)
    return t
