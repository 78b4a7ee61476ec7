"""cpu/cpu_scaling: speed-up vs workers per model, one panel per kernel.

A fixed amount of CPU work is split over W workers. Speed-up = the sequential model's real
time for the same kernel / the model's real time; efficiency = speed-up / cores (cores from
the context's num_cpus). Threads and processes scale up to the core count and no further;
one thread interleaving coroutines does not scale at all.

CPU time (the cpu_time_ms counter: every thread of the process, and a processes model's
children) against the sequential run's tells why a speed-up falls short: about 1x with a
short speed-up means cores stood idle; well above 1x means the same work cost more CPU,
either the model's own overhead or cores running slower (on a shared host, another tenant).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from corio_plots import colors, figure, schema
from corio_plots.load import REAL_TIME_NS, Measurement, Results
from corio_plots.table import Table, dash
from corio_plots.units import fmt_count, fmt_ms, fmt_percent, fmt_speedup

KEY = "cpu/cpu_scaling"
CPU_TIME_MS = "cpu_time_ms"
STEM = "cpu_scaling"
MAX_PANELS = 3


@dataclass(frozen=True)
class Point:
    kernel: str
    model: str
    workers: int
    time_ms: float
    speedup: float
    efficiency: float | None  # speed-up / cores
    ctx_voluntary: float | None
    ctx_involuntary: float | None
    cpu_ms: float | None = None  # CPU time of the call, every thread (and child) included


@dataclass
class CpuScaling:
    points: list[Point]
    cores: int | None
    baseline_ms: dict[str, float]  # kernel -> sequential time
    baseline_cpu_ms: dict[str, float] = field(default_factory=dict)  # kernel -> its CPU time
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.points

    def kernels(self) -> list[str]:
        return list(dict.fromkeys(p.kernel for p in self.points))


def speedup(baseline_time: float, time: float) -> float:
    """How many times faster than the baseline: baseline / time."""
    return baseline_time / time


def efficiency(speedup_value: float, cores: int | None) -> float | None:
    """Speed-up per core: 1.0 means every core did useful work all the time."""
    return speedup_value / cores if cores else None


def _baseline(ms: list[Measurement]) -> Measurement | None:
    seq = [m for m in ms if m.model == schema.SEQUENTIAL]
    if not seq:
        return None
    # sequential ignores W; if it ran at several W, its fewest-workers run is the reference.
    seq.sort(key=lambda m: m.name.param_float("workers") or 0.0)
    return seq[0]


def compute(results: Results) -> CpuScaling | None:
    measurements = [m for m in results.ok_measurements(KEY)
                    if m.name.param("kernel") and m.name.param_float("workers") is not None]
    if not measurements:
        return None
    cores = results.num_cpus
    notes: list[str] = []
    if cores is None:
        notes.append("the results' context has no num_cpus: efficiency and the core line "
                     "are left out")
    points: list[Point] = []
    baselines: dict[str, float] = {}
    baseline_cpus: dict[str, float] = {}
    kernels = list(dict.fromkeys(m.name.param("kernel") or "" for m in measurements))
    for kernel in kernels:
        ms = [m for m in measurements if m.name.param("kernel") == kernel]
        base_run = _baseline(ms)
        base = base_run.value(REAL_TIME_NS) if base_run is not None else None
        if base_run is None or base is None:
            notes.append(f"kernel {kernel}: no sequential run, so no speed-up is computed "
                         "(run it with the sequential model)")
            continue
        baselines[kernel] = base / 1e6
        base_cpu = base_run.value(CPU_TIME_MS)
        if base_cpu:
            baseline_cpus[kernel] = base_cpu
        for m in ms:
            time = m.value(REAL_TIME_NS)
            assert time is not None
            s = speedup(base, time)
            points.append(Point(
                kernel=kernel, model=m.model, workers=int(m.name.param_float("workers") or 0),
                time_ms=time / 1e6, speedup=s, efficiency=efficiency(s, cores),
                ctx_voluntary=m.value(schema.CTX_VOLUNTARY),
                ctx_involuntary=m.value(schema.CTX_INVOLUNTARY),
                cpu_ms=m.value(CPU_TIME_MS)))
    return CpuScaling(points=points, cores=cores, baseline_ms=baselines,
                      baseline_cpu_ms=baseline_cpus, notes=notes)


def cpu_ratio(data: CpuScaling, point: Point) -> float | None:
    """The point's CPU time over the sequential run's for the same kernel (same work)."""
    base = data.baseline_cpu_ms.get(point.kernel)
    return point.cpu_ms / base if base and point.cpu_ms is not None else None


def per_extra_part_ms(at_few: Point, at_many: Point) -> float:
    """Oversubscription cost: wall time added per part beyond the core count's run."""
    return (at_many.time_ms - at_few.time_ms) / (at_many.workers - at_few.workers)


def oversubscription(data: CpuScaling, kernel: str) -> list[tuple[str, Point, Point]]:
    """(model, run at W = cores, run at the largest W) per model that has both."""
    out: list[tuple[str, Point, Point]] = []
    if not data.cores:
        return out
    for model in sorted({p.model for p in data.points}, key=schema.model_order):
        mine = {p.workers: p for p in data.points if p.kernel == kernel and p.model == model}
        w_max = max(mine, default=0)
        if data.cores in mine and w_max > data.cores:
            out.append((model, mine[data.cores], mine[w_max]))
    return out


def findings(data: CpuScaling) -> list[str]:
    out: list[str] = []
    for kernel in data.kernels():
        points = [p for p in data.points if p.kernel == kernel and p.model != schema.SEQUENTIAL]
        if not points:
            continue
        all_w = sorted({p.workers for p in points})
        # The core count when it was run, else the largest W at or below it.
        target = data.cores if data.cores in all_w else max(
            (w for w in all_w if data.cores is None or w <= data.cores), default=all_w[-1])
        at = sorted((p for p in points if p.workers == target), key=lambda p: -p.speedup)
        if at:
            best, rest = at[0], at[1:]
            cores = f" ({data.cores} cores)" if data.cores else ""
            eff = (f", {fmt_percent(best.efficiency)} efficiency" if best.efficiency is not None
                   else "")
            others = "; " + ", ".join(f"{p.model} {fmt_speedup(p.speedup)}" for p in rest) \
                if rest else ""
            out.append(f"{kernel}: at W = {target}{cores}, {best.model} reached "
                       f"{fmt_speedup(best.speedup)} over sequential "
                       f"({fmt_ms(data.baseline_ms[kernel])}){eff}{others}.")
            ratios = [(p.model, r) for p in at if (r := cpu_ratio(data, p)) is not None]
            if ratios:
                listed = ", ".join(f"{model} {r:.2f}x" for model, r in ratios)
                out.append(f"{kernel}: CPU time at W = {target} against the sequential run's "
                           f"({fmt_ms(data.baseline_cpu_ms[kernel])}): {listed} (near 1x, a "
                           "short speed-up means idle cores; well above, the same work cost "
                           "more CPU: model overhead or slower cores).")
        w_max = all_w[-1]
        if data.cores and w_max > data.cores:
            top = max((p for p in points if p.workers == w_max), key=lambda p: p.speedup)
            out.append(f"{kernel}: beyond {data.cores} cores nothing scales further: the best "
                       f"at W = {w_max} is {top.model} with {fmt_speedup(top.speedup)}.")
        costs = oversubscription(data, kernel)
        if costs:
            parts = ", ".join(
                f"{model} {fmt_ms(few.time_ms)} -> {fmt_ms(many.time_ms)} "
                f"({per_extra_part_ms(few, many) * 1e3:+.0f} µs per extra part)"
                for model, few, many in costs)
            out.append(f"{kernel}: oversubscription, wall at W = {data.cores} -> W = "
                       f"{costs[0][2].workers}: {parts}.")
    return out


def table(data: CpuScaling) -> Table:
    t = Table(["model", "kernel", "workers", "time", "speed-up", "efficiency", "CPU time",
               "CPU / sequential's", "voluntary ctx sw", "involuntary ctx sw"])
    for p in sorted(data.points, key=lambda p: (p.kernel, schema.model_order(p.model),
                                                 p.workers)):
        t.add(p.model, p.kernel, str(p.workers), fmt_ms(p.time_ms), fmt_speedup(p.speedup),
              fmt_percent(p.efficiency) if p.efficiency is not None else dash(None),
              fmt_ms(p.cpu_ms) if p.cpu_ms is not None else dash(None),
              f"{r:.2f}x" if (r := cpu_ratio(data, p)) is not None else dash(None),
              fmt_count(p.ctx_voluntary) if p.ctx_voluntary is not None else dash(None),
              fmt_count(p.ctx_involuntary) if p.ctx_involuntary is not None else dash(None))
    return t


def draw(data: CpuScaling, out_dir: Path) -> list[Path]:
    kernels = data.kernels()[:MAX_PANELS]
    fig, axes = figure.new_figure(ncols=len(kernels), sharey=True)
    w_all = sorted({p.workers for p in data.points})
    for ax, kernel in zip(axes, kernels):
        points = [p for p in data.points if p.kernel == kernel]
        ws = sorted({p.workers for p in points})
        ax.plot(ws, ws, linestyle="--", color="black", linewidth=1, label="ideal: W")
        if data.cores:
            ax.axvline(data.cores, color="red", linestyle=":", linewidth=1.2,
                       label=f"{data.cores} cores")
        for model in sorted({p.model for p in points}, key=schema.model_order):
            mine = sorted((p for p in points if p.model == model), key=lambda p: p.workers)
            if model == schema.SEQUENTIAL:
                ax.axhline(1.0, color=colors.style(model).color, linewidth=1,
                           label="sequential = 1x")
                continue
            ax.plot([p.workers for p in mine], [p.speedup for p in mine], markersize=5,
                    **colors.line_kwargs(model))
        ax.set_xscale("log", base=2)
        ax.set_xticks(w_all, [str(w) for w in w_all])
        ax.set_xlabel("workers W (log2)")
        ax.set_title(f"kernel: {kernel}")
    # The ideal line runs to W; past the cores nothing follows it, so the axis stops a little
    # above what was reached (or the core count) and the line leaves the top of the panel.
    top = max([p.speedup for p in data.points] + [float(data.cores or 1)])
    axes[0].set_ylim(0, top * 1.25)
    axes[0].set_ylabel("speed-up over sequential (x)")
    figure.legend_outside(axes[-1], handles_from=axes)
    fig.suptitle("cpu_scaling: speed-up vs workers (same total CPU work)")
    return figure.save(fig, out_dir, STEM)

