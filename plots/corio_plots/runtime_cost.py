"""runtime/*: what one operation costs per model, in ns, as a dot plot on a log axis.

ns per operation = 1e9 / items_per_second for spawn, switch, gather and sync; task_memory's
creation_ns_per_task (its items_per_second, in older results, divided the whole call: trim,
/proc reads, release and join included).
skynet (a tree of tasks) is measured by its total real time, so it has its own panel in ms.
timers wait out a sleep, so they are not a cost per operation; their finding is each timer's
lateness past its own deadline (timer_lateness_*_us) and, named for what it is, the overshoot
(overshoot_ms: from the model's entry until the last task woke, minus D). Their memory is in
the bytes_per_task chart.

A workload may run several points per model (switch via:yield and via:event; threads at a
smaller N than coroutines). The chart has a row per operation (the parameters that name it:
via:, prim:, children:, cap:; not those that only size a run) with a dot per model, so threads
show both via:condvar and via:atomic; a model with no dot in a workload is named under the
chart, with "run failed its check" when it did. The findings use each model's first point, the
one the workload registers first as its headline; the report's tables hold every point. A ratio to
the reference model is given only when their min–max intervals do not overlap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from corio_plots import colors, figure, schema
from corio_plots.load import REAL_TIME_NS, Measurement, Results
from corio_plots.stats import Stat, errorbar, fmt_value, ranking_verdict, within_noise
from corio_plots.units import fmt_count, fmt_duration_ns, fmt_ms, fmt_times, fmt_us

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


# Parameters that only size a run (how many operations); the others (via:, prim:, children:,
# cap:) say which operation it is, so each of their values is a row of the chart.
SIZE_PARAMS = frozenset({"tasks", "switches", "rounds", "ops", "leaves"})


def variant(workload: str, point: str) -> str:
    """The parameters of a point that name the operation: 'via:condvar', 'prim:semaphore
    tasks:2 cap:1'. runtime/sync's tasks: says contended (2) or not (1), so it stays."""
    keep = []
    for part in point.split():
        key = part.partition(":")[0]
        if key not in SIZE_PARAMS or (workload == "runtime/sync" and key == "tasks"):
            keep.append(part)
    return " ".join(keep)


@dataclass
class RuntimeCost:
    per_op: list[Cost]  # each model's first point of each per-op workload
    skynet: list[Cost]
    timers: list[Timer] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    every: list[Cost] = field(default_factory=list)  # every per-op point: the chart's rows
    failed: dict[str, list[str]] = field(default_factory=dict)  # workload -> models that failed

    def rows(self) -> list[tuple[str, str]]:
        """(workload, variant) of the chart's rows, in run order."""
        return list(dict.fromkeys((c.workload, variant(c.workload, c.point))
                                  for c in self.every or self.per_op))

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
    elif (creation := m.stat(schema.CREATION_NS_PER_TASK)) is not None:
        stat = creation
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
    every: list[Cost] = []
    failed: dict[str, list[str]] = {}
    for key in [*schema.RUNTIME_PER_OP, schema.RUNTIME_TOTAL_TIME]:
        ms = results.ok_measurements(key)
        for m in results.measurements(key):
            if m.error is not None and m.model not in failed.setdefault(key, []):
                failed[key].append(m.model)
        if key != schema.RUNTIME_TOTAL_TIME:
            every += [c for m in ms if (c := _cost(key, m)) is not None]
        for m in first_per_model(ms):
            cost = _cost(key, m)
            if cost is None:
                notes.append(f"{m.name.base}: no cost counter (items_per_second, "
                             "creation_ns_per_task); not drawn")
                continue
            (skynet if key == schema.RUNTIME_TOTAL_TIME else per_op).append(cost)
        if len({m.name.label for m in ms}) > len({m.model for m in ms}):
            notes.append(f"{key}: the findings compare each model's first point; the chart "
                         "has a row per operation and the table below every point")
    timers = []
    for m in first_per_model(results.ok_measurements(schema.RUNTIME_TIMERS)):
        lateness = {c: v for c, _ in _LATENESS if (v := m.stat(c)) is not None}
        overshoot = m.stat(schema.OVERSHOOT_MS)
        if lateness or overshoot is not None:
            timers.append(Timer(model=m.model, point=m.name.label, overshoot=overshoot,
                                lateness=lateness))
    if not (per_op or skynet or timers):
        return None
    return RuntimeCost(per_op=per_op, skynet=skynet, timers=timers, notes=notes,
                       every=every, failed={k: v for k, v in failed.items() if v})


def _per(cost: Cost, size: str) -> Stat | None:
    """A total cost divided by its point's `size` parameter (skynet's leaves)."""
    pairs = dict(p.split(":", 1) for p in cost.point.split() if ":" in p)
    try:
        n = float(pairs[size])
    except (KeyError, ValueError):
        return None
    return cost.stat.map(lambda t: t / n) if n > 0 else None


def _compare(costs: list[Cost], what: str, size: str = "", unit: str = "") -> str:
    """"spawn+join (tasks:100000): corio 31 ns, libuv 120 ns (3.9x), threads 14 µs at
    tasks:1000 (452x); <verdict>": corio (else the cheapest) first as the reference, the
    others from cheapest to dearest with their ratio (or "within noise of" it), and their
    point when it is not the reference's. With `size` (a total cost: skynet's "leaves"), a
    model run at another size is compared per `unit` of it ("per leaf"), never total to total,
    and the models are ordered by that cost."""
    ref = next((c for c in costs if c.model == schema.CORIO),
               min(costs, key=lambda c: c.ns_per_op))
    head = f"{what} ({ref.point})" if ref.point else what
    parts = [f"{ref.model} {fmt_value(ref.stat, fmt_duration_ns)}"]
    def per_unit(c: Cost) -> float:
        return s.median if size and (s := _per(c, size)) is not None else c.ns_per_op

    for c in sorted(costs, key=per_unit):
        if c is ref:
            continue
        at = f" at {c.point}" if c.point != ref.point else ""
        mine, theirs, per = c.stat, ref.stat, ""
        if size and at and (a := _per(c, size)) is not None and (b := _per(ref, size)):
            mine, theirs, per = a, b, f" per {unit}"
        vs = (f"within noise of {ref.model}{per}" if within_noise(mine, theirs)
              else fmt_times(mine.median / theirs.median) + per)
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
        out.append(_compare(data.skynet, "skynet, total time", size="leaves", unit="leaf"))
    out += _timer_findings(data.timers)
    return out


def missing(data: RuntimeCost) -> list[str]:
    """Per workload, the models of the chart that have no dot there, and why when a run
    failed: 'skynet: libuv, threads (not run)'."""
    models = {c.model for c in data.every + data.per_op + data.skynet}
    out = []
    for key in [*schema.RUNTIME_PER_OP, schema.RUNTIME_TOTAL_TIME]:
        have = {c.model for c in (data.skynet if key == schema.RUNTIME_TOTAL_TIME
                                  else data.every or data.per_op) if c.workload == key}
        if not have:
            continue
        failed = [m for m in data.failed.get(key, []) if m not in have]
        absent = sorted(models - have - set(failed), key=schema.model_order)
        what = schema.RUNTIME_PER_OP.get(key, "skynet")
        parts = ([f"{', '.join(failed)} (run failed its check)"] if failed else []) + (
            [f"{', '.join(absent)} (not run)"] if absent else [])
        if parts:
            out.append(f"{what}: {'; '.join(parts)}")
    return out


def shows(data: RuntimeCost) -> str:
    """One line: what the chart shows, computed from its data."""
    parts = []
    for w in data.workloads():
        costs = [c for c in data.per_op if c.workload == w]
        if len(costs) < 2:
            continue
        lo, hi = min(costs, key=lambda c: c.ns_per_op), max(costs, key=lambda c: c.ns_per_op)
        apart = lo.stat.hi < hi.stat.lo
        parts.append(f"{schema.RUNTIME_PER_OP[w]} {lo.model} {fmt_duration_ns(lo.ns_per_op)} to "
                     f"{hi.model} {fmt_duration_ns(hi.ns_per_op)}"
                     + ("" if apart else " (within noise)"))
    text = "What one operation costs per model, cheapest to dearest (log scale)"
    return text + (": " + "; ".join(parts) if parts else "") + "."


def draw(data: RuntimeCost, out_dir: Path) -> list[Path] | None:
    """Nothing to draw (None) when the run holds only timers."""
    every = data.every or data.per_op
    if not (every or data.skynet):
        return None
    rows = data.rows()
    fig, _ = figure.new_figure(height_in=2.4 + 0.26 * max(len(rows), 4))
    fig.clear()
    ratios = [r for r, present in ((3, every), (1, data.skynet)) if present]
    grid = fig.add_gridspec(1, len(ratios), width_ratios=ratios)
    axes = [fig.add_subplot(grid[0, i]) for i in range(len(ratios))]
    ax_iter = iter(axes)
    if every:
        ax = next(ax_iter)
        present = sorted({c.model for c in every}, key=schema.model_order)
        for model in present:
            ys, xs, stats = [], [], []
            for r, (w, v) in enumerate(rows):
                here = [c for c in every if c.workload == w and c.model == model
                        and variant(c.workload, c.point) == v]
                in_row = sorted({c.model for c in every if c.workload == w
                                 and variant(c.workload, c.point) == v}, key=schema.model_order)
                for c in here[:1]:
                    ys.append(r + figure.dodge(in_row.index(model), len(in_row)))
                    xs.append(c.ns_per_op)
                    stats.append(c.stat)
            if xs:
                ax.errorbar(xs, ys, xerr=errorbar(stats), capsize=2, markersize=6,
                            **colors.dot_kwargs(model))
        labels = [schema.RUNTIME_PER_OP[w] + (f" ({v})" if v else "") for w, v in rows]
        ax.set_yticks(range(len(rows)), labels, fontsize=8)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        figure.log_axis(ax, "x", figure.stat_values(c.stat for c in every))
        ax.set_xlabel("cost per operation (ns, log; left is cheaper)")
        ax.set_title("cost of one operation", fontsize=9)
    if data.skynet:
        ax = next(ax_iter)
        sky = sorted(data.skynet, key=lambda c: schema.model_order(c.model))
        for i, c in enumerate(sky):
            ms = c.stat.scaled(1e-6)
            ax.errorbar([ms.median], [i], xerr=errorbar([ms]), capsize=3, markersize=6,
                        **colors.dot_kwargs(c.model))
        # A model run on a smaller tree (the Python rows) says so beside its name.
        def label(c: Cost) -> str:
            if c.point == sky[0].point:
                return c.model
            leaves = dict(p.split(":", 1) for p in c.point.split() if ":" in p).get("leaves")
            return f"{c.model} ({fmt_count(float(leaves))})" if leaves else c.model
        ax.set_yticks(range(len(sky)), [label(c) for c in sky], fontsize=8)
        ax.set_ylim(len(sky) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        figure.log_axis(ax, "x", figure.stat_values(c.stat.scaled(1e-6) for c in sky))
        ax.set_xlabel("ms, log")
        leaves = dict(p.split(":", 1) for p in sky[0].point.split() if ":" in p).get("leaves")
        ax.set_title("skynet, total time" + (f"\n{fmt_count(float(leaves))} leaves" if leaves
                                              else ""), fontsize=9)
    note = missing(data)
    bottom = figure.footnote(fig, ("No dot: " + "; ".join(note) + ".") if note else "")
    bottom = figure.legend_below(fig, axes, ncol=6, bottom=bottom)
    caption = figure.bars_caption(c.stat for c in every + data.skynet)
    fig.suptitle(f"runtime: cost per operation per model (lower is better)\n({caption})")
    return figure.save(fig, out_dir, STEM, rect=(0, bottom, 1, 1))
