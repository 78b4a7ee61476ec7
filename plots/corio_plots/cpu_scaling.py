"""cpu/cpu_scaling: speed-up vs workers per model, one panel per kernel.

A fixed amount of CPU work is split over W workers. Speed-up = the model's baseline's real
time for the same kernel / the model's real time, where the baseline is the same language's
one-part run: `sequential` for the C++ models, `py_sequential` for the Python ones (their
kernels run a smaller work in pure Python, so only their own baseline is a fair 1x), `go` and
`tokio` at W = 1 for go, go_mt, tokio and tokio_mt (one part on one thread of their own
compiler's code: Go's fib takes about twice clang's CPU, so over C++'s sequential go_mt would
look as if it did not scale), and `<family>_sequential` where a run has one; efficiency = speed-up / cores (cores from
the context's num_cpus). The ideal is min(W, cores); each finding says whether a speed-up
came within SCALING_TOLERANCE of it, and by how much it missed otherwise.

CPU time (the cpu_time_ms counter: every thread of the process, and a processes model's
children) against the sequential run's tells why a speed-up falls short: within
CPU_TOLERANCE of 1x with a short speed-up means cores stood idle; above it, the same work
cost more CPU, either the model's own overhead or cores running slower (on a shared host,
another tenant).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from corio_plots import colors, figure, schema
from corio_plots.load import REAL_TIME_NS, Measurement, Results
from corio_plots.stats import Stat, errorbar, fmt_value, ranking_verdict, within_noise
from corio_plots.table import Table, stat_cell
from corio_plots.units import fmt_count, fmt_ms, fmt_percent, fmt_speedup

KEY = "cpu/cpu_scaling"
CPU_TIME_MS = "cpu_time_ms"
STEM = "cpu_scaling"
MAX_PANELS = 3
# A speed-up within this fraction of its ideal (min(W, cores)) meets it; beyond the cores, a
# speed-up more than this above the core count is called out.
SCALING_TOLERANCE = 0.10
# A CPU time within this fraction of the sequential run's is "the same CPU for the same work".
CPU_TOLERANCE = 0.10


LIBUV = "libuv"
# Why an "event loop" scales on CPU work here (workloads/cpu/cpu_scaling/README.md).
LIBUV_NOTE = ("cpu_scaling: libuv's rows run each part with uv_queue_work on libuv's own thread "
              "pool (UV_THREADPOOL_SIZE threads, 4 by default), not on the event loop; that "
              "is why an event-loop library scales on CPU work here: the pool's threads do "
              "the work, as asyncio's to_thread or run_in_executor would")


PY_PREFIX = "py_"
PY_SEQUENTIAL = "py_sequential"
SEQUENTIAL_SUFFIX = "_sequential"


def is_baseline(model: str) -> bool:
    """A one-part run some models' speed-ups are measured against (sequential, py_sequential)."""
    return model == schema.SEQUENTIAL or model.endswith(SEQUENTIAL_SUFFIX)


# Languages whose one-thread model at its fewest workers (W = 1) is their one-part run.
OWN_ONE_THREAD_BASELINE = ("go", "tokio")


def baseline_of(model: str, available: set[str]) -> str:
    """The baseline `model`'s speed-up is over: its own language's one-part run."""
    if model.startswith(PY_PREFIX):
        return PY_SEQUENTIAL
    family = model.removesuffix("_mt")
    if family + SEQUENTIAL_SUFFIX in available:
        return family + SEQUENTIAL_SUFFIX
    if family in OWN_ONE_THREAD_BASELINE and family in available:
        return family
    return schema.SEQUENTIAL


@dataclass(frozen=True)
class Point:
    kernel: str
    model: str
    workers: int
    time: Stat  # ms
    speedup_stat: Stat  # the baseline run's median / this run's time, per repetition
    efficiency: float | None  # median speed-up / cores
    ctx_voluntary: Stat | None = None
    ctx_involuntary: Stat | None = None
    cpu: Stat | None = None  # CPU time of the call in ms, every thread (and child) included
    baseline: str = schema.SEQUENTIAL  # the model whose one-part run is this point's 1x

    @property
    def time_ms(self) -> float:
        return self.time.median

    @property
    def speedup(self) -> float:
        return self.speedup_stat.median

    @property
    def cpu_ms(self) -> float | None:
        return None if self.cpu is None else self.cpu.median


@dataclass
class CpuScaling:
    points: list[Point]
    cores: int | None
    baseline_ms: dict[str, float]  # kernel -> sequential time
    baseline_cpu_ms: dict[str, float] = field(default_factory=dict)  # kernel -> its CPU time
    notes: list[str] = field(default_factory=list)
    # (kernel, baseline model) -> its time and CPU time, for every baseline (py_sequential...)
    family_ms: dict[tuple[str, str], float] = field(default_factory=dict)
    family_cpu_ms: dict[tuple[str, str], float] = field(default_factory=dict)

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


def target_workers(workers: list[int], cores: int | None) -> int:
    """The W the findings compare at: the core count when it was run, else the largest W at
    or below it, else the smallest W (the nearest above it). `workers` is sorted, not empty."""
    if cores in workers:
        return cores
    below = [w for w in workers if cores is None or w <= cores]
    return below[-1] if below else workers[0]


def ideal(workers: int, cores: int | None) -> float:
    """The best speed-up W workers can reach: W, but no more than the cores."""
    return float(min(workers, cores) if cores else workers)


def _baseline(ms: list[Measurement], model: str = schema.SEQUENTIAL) -> Measurement | None:
    seq = [m for m in ms if m.model == model]
    if not seq:
        return None
    # sequential ignores W; if it ran at several W, its fewest-workers run is the reference.
    seq.sort(key=lambda m: m.name.param_float("workers") or 0.0)
    return seq[0]


def compute(results: Results) -> CpuScaling | None:
    measurements = [m for m in results.ok_measurements(KEY)
                    if m.name.param("kernel") and (m.name.param_float("workers") or 0) > 0]
    if not measurements:
        return None
    cores = results.num_cpus
    notes: list[str] = []
    if cores is None:
        notes.append("the results' context has no num_cpus: efficiency and the core line "
                     "are left out")
    points: list[Point] = []
    family_ms: dict[tuple[str, str], float] = {}
    family_cpu_ms: dict[tuple[str, str], float] = {}
    kernels = list(dict.fromkeys(m.name.param("kernel") or "" for m in measurements))
    for kernel in kernels:
        ms = [m for m in measurements if m.name.param("kernel") == kernel]
        available = {m.model for m in ms}
        missing: set[str] = set()
        for m in ms:
            baseline = baseline_of(m.model, available) if not is_baseline(m.model) else m.model
            base_run = _baseline(ms, baseline)
            base = base_run.value(REAL_TIME_NS) if base_run is not None else None
            if base_run is None or base is None:
                missing.add(baseline)
                continue
            family_ms[(kernel, baseline)] = base / 1e6
            if base_cpu := base_run.value(CPU_TIME_MS):
                family_cpu_ms[(kernel, baseline)] = base_cpu
            time = m.stat(REAL_TIME_NS)
            assert time is not None
            s = time.map(lambda t, b=base: speedup(b, t))
            points.append(Point(
                kernel=kernel, model=m.model, workers=int(m.name.param_float("workers") or 0),
                time=time.scaled(1e-6), speedup_stat=s, efficiency=efficiency(s.median, cores),
                ctx_voluntary=m.stat(schema.CTX_VOLUNTARY),
                ctx_involuntary=m.stat(schema.CTX_INVOLUNTARY),
                cpu=m.stat(CPU_TIME_MS), baseline=baseline))
        for baseline in sorted(missing):
            notes.append(f"kernel {kernel}: no {baseline} run, so the speed-ups over it are "
                         f"not computed (run it with the {baseline} model)")
    if any(p.model == LIBUV for p in points):
        notes.append(LIBUV_NOTE)
    return CpuScaling(
        points=points, cores=cores,
        baseline_ms={k: v for (k, b), v in family_ms.items() if b == schema.SEQUENTIAL},
        baseline_cpu_ms={k: v for (k, b), v in family_cpu_ms.items() if b == schema.SEQUENTIAL},
        notes=notes, family_ms=family_ms, family_cpu_ms=family_cpu_ms)


def cpu_ratio(data: CpuScaling, point: Point) -> float | None:
    """The point's CPU time over its baseline run's for the same kernel (same work)."""
    base = data.family_cpu_ms.get((point.kernel, point.baseline))
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


def _ideal_check(p: Point, cores: int | None) -> str:
    best = ideal(p.workers, cores)
    short = 1 - p.speedup / best
    pct = f"{SCALING_TOLERANCE * 100:.0f}%"
    if abs(short) <= SCALING_TOLERANCE:
        return f"within {pct} of the ideal {fmt_speedup(best)}"
    if short > 0:
        return f"{fmt_percent(short)} short of the ideal {fmt_speedup(best)} (more than {pct})"
    return f"{fmt_percent(-short)} above the ideal {fmt_speedup(best)} (more than {pct})"


def _cpu_finding(data: CpuScaling, kernel: str, target: int, at: list[Point]) -> str | None:
    ratios = [(p, r) for p in at if (r := cpu_ratio(data, p)) is not None]
    if not ratios:
        return None
    listed = ", ".join(f"{p.model} {r:.2f}x" for p, r in ratios)
    pct = f"{CPU_TOLERANCE * 100:.0f}%"
    same = [p for p, r in ratios if abs(r - 1) <= CPU_TOLERANCE]
    more = [p.model for p, r in ratios if r > 1 + CPU_TOLERANCE]
    less = [p.model for p, r in ratios if r < 1 - CPU_TOLERANCE]
    parts = []
    if same:
        idle = [p.model for p in same
                if not is_baseline(p.model)
                and p.speedup < ideal(p.workers, data.cores) * (1 - SCALING_TOLERANCE)]
        parts.append(f"within {pct} of it: {', '.join(p.model for p in same)} (the same CPU for "
                     "the same work" + (f"; so {', '.join(idle)} lost its speed-up to idle "
                                        "cores" if idle else "") + ")")
    if more:
        parts.append(f"more than {pct} above it: {', '.join(more)} (the same work cost more "
                     "CPU: the model's overhead or slower cores)")
    if less:
        parts.append(f"more than {pct} below it: {', '.join(less)} (the same work cost less "
                     f"CPU than in the {at[0].baseline} run)")
    baseline = at[0].baseline
    return (f"{kernel}: CPU time at W = {target} against the {baseline} run's "
            f"({fmt_ms(data.family_cpu_ms[(kernel, baseline)])}): {listed}; "
            + "; ".join(parts) + ".")


def _ranking_finding(data: CpuScaling, kernel: str, target: int, at: list[Point]) -> str:
    """The models measured against one baseline at W = target, best first."""
    best, rest = at[0], at[1:]
    cores = f" ({data.cores} cores)" if data.cores else ""
    eff = f", {fmt_percent(best.efficiency)} efficiency" if best.efficiency is not None else ""
    others = "; " + ", ".join(f"{p.model} {fmt_value(p.speedup_stat, fmt_speedup)}"
                              for p in rest) if rest else ""
    verdict = ranking_verdict([(p.model, p.speedup_stat) for p in at])
    return (f"{kernel}: at W = {target}{cores}, {best.model} reached "
            f"{fmt_value(best.speedup_stat, fmt_speedup)} over {best.baseline} "
            f"({fmt_ms(data.family_ms[(kernel, best.baseline)])}){eff}, "
            f"{_ideal_check(best, data.cores)}{others}" + (f"; {verdict}" if verdict else "")
            + ".")


def gil_finding(data: CpuScaling, kernel: str, target: int) -> str | None:
    """What Python's threads and processes did with the cores, against py_sequential: the GIL
    lets one thread at a time run Python code, so threads cannot speed up pure-Python work and
    processes can. Said from the figures, whichever way they came out."""
    at = {p.model: p for p in data.points
          if p.kernel == kernel and p.workers == target and p.baseline == PY_SEQUENTIAL}
    threads, processes = at.get("py_threads"), at.get("py_processes")
    if threads is None or target < 2:
        return None
    flat = threads.speedup <= 1 + SCALING_TOLERANCE
    text = (f"{kernel}: the GIL: at W = {target}, py_threads reached "
            f"{fmt_value(threads.speedup_stat, fmt_speedup)} over py_sequential"
            + (" (no faster than one core: one thread runs Python at a time)" if flat else
               f", more than {SCALING_TOLERANCE * 100:.0f}% above 1x: the kernel ran in "
               "parallel threads (it released the GIL)"))
    if processes is not None:
        text += (f", py_processes {fmt_value(processes.speedup_stat, fmt_speedup)} "
                 "(one interpreter per process, one GIL each)")
    if (asyncio_point := at.get("py_asyncio")) is not None:
        text += f", py_asyncio {fmt_value(asyncio_point.speedup_stat, fmt_speedup)} (one thread)"
    return text + "."


def findings(data: CpuScaling) -> list[str]:
    out: list[str] = []
    for kernel in data.kernels():
        points = [p for p in data.points if p.kernel == kernel and not is_baseline(p.model)]
        if not points:
            continue
        all_w = sorted({p.workers for p in points})
        target = target_workers(all_w, data.cores)
        # One sentence per baseline: a speed-up over py_sequential is not one over sequential.
        for baseline in dict.fromkeys(p.baseline for p in points):
            at = sorted((p for p in points if p.workers == target and p.baseline == baseline),
                        key=lambda p: -p.speedup)
            if not at:
                continue
            out.append(_ranking_finding(data, kernel, target, at))
            if cpu := _cpu_finding(data, kernel, target, at):
                out.append(cpu)
        if gil := gil_finding(data, kernel, target):
            out.append(gil)
        w_max = all_w[-1]
        if data.cores and w_max > data.cores:
            top = max((p for p in points if p.workers == w_max), key=lambda p: p.speedup)
            limit = float(data.cores)
            pct = f"{SCALING_TOLERANCE * 100:.0f}%"
            if top.speedup <= limit * (1 + SCALING_TOLERANCE):
                out.append(f"{kernel}: beyond {data.cores} cores no model passes the "
                           f"{data.cores}-core ideal of {fmt_speedup(limit)} by more than {pct}: "
                           f"the best at W = {w_max} is {top.model} with "
                           f"{fmt_value(top.speedup_stat, fmt_speedup)}.")
            else:
                out.append(f"{kernel}: at W = {w_max}, {top.model} reached "
                           f"{fmt_value(top.speedup_stat, fmt_speedup)}, more than {pct} above "
                           f"the {data.cores}-core ideal of {fmt_speedup(limit)}: faster than "
                           "the cores allow against the sequential run's time, so that "
                           "baseline ran slower per core than this run.")
        costs = oversubscription(data, kernel)
        if costs:
            def cost(few: Point, many: Point) -> str:
                if within_noise(few.time, many.time):
                    return "within noise"
                return f"{per_extra_part_ms(few, many) * 1e3:+.0f} µs per extra part"
            parts = ", ".join(
                f"{model} {fmt_value(few.time, fmt_ms)} -> {fmt_value(many.time, fmt_ms)} "
                f"({cost(few, many)})" for model, few, many in costs)
            single = any(not (few.time.repeated and many.time.repeated)
                         for _, few, many in costs)
            out.append(f"{kernel}: oversubscription, wall at W = {data.cores} -> W = "
                       f"{costs[0][2].workers}: {parts}"
                       + ("; single samples: not checked across repetitions" if single
                          else "") + ".")
    return out


def table(data: CpuScaling) -> Table:
    t = Table(["model", "kernel", "workers", "time", "speed-up", "over",
               "efficiency (speed-up / cores)", "CPU time",
               "CPU / baseline's", "voluntary ctx sw", "involuntary ctx sw"])
    for p in sorted(data.points, key=lambda p: (p.kernel, schema.model_order(p.model),
                                                 p.workers)):
        r = cpu_ratio(data, p)
        t.add(p.model, p.kernel, str(p.workers), stat_cell(p.time, fmt_ms, primary=True),
              stat_cell(p.speedup_stat, fmt_speedup), p.baseline,
              fmt_percent(p.efficiency) if p.efficiency is not None else "–",
              stat_cell(p.cpu, fmt_ms), f"{r:.2f}x" if r is not None else "–",
              stat_cell(p.ctx_voluntary, fmt_count), stat_cell(p.ctx_involuntary, fmt_count))
    return t


def shows(data: CpuScaling) -> str:
    """One line: what the chart shows, computed from its data."""
    parts = []
    for kernel in data.kernels():
        points = [p for p in data.points if p.kernel == kernel and not is_baseline(p.model)]
        if not points:
            continue
        all_w = sorted({p.workers for p in points})
        target = target_workers(all_w, data.cores)
        at = [p for p in points if p.workers == target]
        reached = [p.model for p in at
                   if p.speedup >= ideal(p.workers, data.cores) * (1 - SCALING_TOLERANCE)]
        flat = [p.model for p in at if p.speedup <= 1 + SCALING_TOLERANCE]
        text = f"{kernel} at W = {target}: " + (
            f"{', '.join(reached)} within {SCALING_TOLERANCE * 100:.0f}% of the ideal "
            f"{fmt_speedup(ideal(target, data.cores))}" if reached else
            f"no model within {SCALING_TOLERANCE * 100:.0f}% of the ideal "
            f"{fmt_speedup(ideal(target, data.cores))}")
        if flat:
            text += f"; no faster than one core: {', '.join(flat)}"
        parts.append(text)
    head = ("Speed-up over the sequential run as the same CPU work is split over W workers "
            "(ideal: min(W, cores))")
    if any(p.baseline != schema.SEQUENTIAL for p in data.points):
        head += " (each language over its own one-part run: the Python rows over py_sequential)"
    tail = (" (libuv's parts run on uv_queue_work's thread pool)" if any(
        p.model == LIBUV for p in data.points) else "")
    return head + tail + ("; " + "; ".join(parts) if parts else "") + "."


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
            if is_baseline(model):
                ax.axhline(1.0, color=colors.style(model).color, linewidth=1,
                           label=f"{model} = 1x")
                continue
            kwargs = colors.line_kwargs(model)
            if model == LIBUV:  # why an event-loop library scales here
                kwargs["label"] = "libuv (uv_queue_work's pool)"
            ax.errorbar([p.workers for p in mine], [p.speedup for p in mine],
                        yerr=errorbar([p.speedup_stat for p in mine]), capsize=3, markersize=5,
                        **kwargs)
        ax.set_xscale("log", base=2)
        ax.set_xticks(w_all, [str(w) for w in w_all])
        ax.set_xlabel("workers W (log2)")
        ax.set_title(f"kernel: {kernel}")
    # The ideal line runs to W; past the cores nothing follows it, so the axis stops a little
    # above what was reached (or the core count) and the line leaves the top of the panel.
    top = max([p.speedup_stat.hi for p in data.points] + [float(data.cores or 1)])
    axes[0].set_ylim(0, top * 1.25)
    axes[0].set_ylabel("speed-up over sequential (x)" if all(
        p.baseline == schema.SEQUENTIAL for p in data.points) else
        "speed-up over its language's sequential run (x)")
    figure.legend_outside(axes[-1], handles_from=axes)
    fig.suptitle("cpu_scaling: speed-up vs workers (same total CPU work)\n"
                 f"({figure.bars_caption(p.speedup_stat for p in data.points)})")
    return figure.save(fig, out_dir, STEM)

