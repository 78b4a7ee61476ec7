"""The summary at the top of REPORT.md and report.html: a decision table and the answers.

The decision table is model × workload. Each workload contributes one headline figure,
defined once in HEADLINES (what it is, at which point, which way is better); a cell holds the
model's median and its rank among the models that ran that point. Models whose min–max
intervals overlap share a rank, written "=2" (within noise); a rank over single samples (one
repetition) is written "2?" (ordered by the median alone, not checked). The last column,
"use it when", is general guidance tied to the row's own figures (a loop for many waits,
threads or processes for CPU work), never a verdict the row does not back.

The answers are the questions readers bring from asyncio, each one sentence computed from
this run with the condition it checked, and what happened when the condition failed:

- threads: how many concurrent waiting tasks threads completed before they stopped or failed,
  against the loop's largest N;
- pool_cpu: whether a pool (threads, a thread pool, processes, a loop per core) beat one loop
  on CPU work at W = cores;
- loop_waits: whether one loop beat the thread pool on waits, at the pool's largest N;
- limit: what limiting concurrency to the server's capacity bought, against no limit;
- to_thread: what moving a blocking call off the loop gave the cheap requests and cost the
  moved ones;
- noise: which differences of the decision table are real (ranked across repetitions).

Each answer function returns None when the run lacks the workload it needs; the report then
says which workload would answer it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from corio_plots import (blocking_cdf, concurrency_limit, cpu_scaling, runtime_cost, schema,
                         sleep_fanout, throughput)
from corio_plots.load import Results
from corio_plots.stats import Stat, fmt_value, noise_groups, overlap, within_noise
from corio_plots.table import Table
from corio_plots.units import (REQ, fmt_bytes, fmt_count, fmt_duration_ns, fmt_ms, fmt_percent,
                               fmt_rate, fmt_ratio, fmt_speedup, fmt_us)

# Two figures whose medians differ by no more than this fraction are "about the same" in an
# answer even when their intervals do not overlap.
ANSWER_TOLERANCE = 0.10
# A speed-up above 1 + this uses more than one core: "CPU work" in a model's "use it when".
PARALLEL_TOLERANCE = 0.10
# Models whose concurrency is a thread per task or a pool of threads or processes.
POOL_MODELS = ("thread_pool", "threads", "processes", "corio_mt", "asio_mt")
# One-thread event loops, the models asyncio's readers know.
LOOP_MODELS = ("corio", "asio", "libuv")


# --- The decision table ----------------------------------------------------------------------

@dataclass
class Column:
    """One workload's headline figure for every model that ran its headline point."""

    key: str  # group/workload
    header: str  # the table's column header
    definition: str  # one line: what the figure is, at which point, which way is better
    higher_is_better: bool
    fmt: Callable[[float], str]
    stats: dict[str, Stat] = field(default_factory=dict)  # model -> headline figure
    # Models that did not run the headline point: what they did instead (not ranked).
    aside: dict[str, str] = field(default_factory=dict)

    def ordered(self) -> list[tuple[str, Stat]]:
        """Best first."""
        sign = -1.0 if self.higher_is_better else 1.0
        return sorted(self.stats.items(), key=lambda e: sign * e[1].median)

    @property
    def single(self) -> bool:
        """True when any ranked figure is a single sample: the order is not checked."""
        return any(not s.repeated for s in self.stats.values())


@dataclass(frozen=True)
class Rank:
    position: int  # 1 = best
    tied: bool  # within noise of another model at the same position
    single: bool  # single samples: ordered by the median alone

    @property
    def text(self) -> str:
        return ("=" if self.tied else "") + str(self.position) + ("?" if self.single else "")


def ranks(column: Column) -> dict[str, Rank]:
    """Competition ranks by the headline figure; models whose min–max intervals overlap
    (chained: a~b, b~c) share the best position among them."""
    ordered = column.ordered()
    groups = noise_groups(ordered)
    group_of = {model: tuple(g) for g in groups for model in g}
    first: dict[tuple[str, ...], int] = {}
    out: dict[str, Rank] = {}
    single = column.single
    for i, (model, _) in enumerate(ordered):
        g = group_of.get(model)
        if g is not None:
            pos = first.setdefault(g, i + 1)
            out[model] = Rank(pos, True, single)
        else:
            out[model] = Rank(i + 1, False, single)
    return out


def _rate(per_second: float) -> str:
    """A rate in a cell whose header names the unit: 134,629 or 2.18 M."""
    return fmt_rate(per_second, "")


def _point_with_most(labels: list[str]) -> str | None:
    """The label most entries share (the first such in run order)."""
    if not labels:
        return None
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    best = max(counts.values())
    return next(label for label in counts if counts[label] == best)


def _params_match(label: str, wanted: dict[str, str]) -> bool:
    pairs = dict(p.split(":", 1) for p in label.split() if ":" in p)
    return all(pairs.get(k) == v for k, v in wanted.items())


def _sleep_column(results: Results) -> Column | None:
    data = sleep_fanout.compute(results)
    if data is None:
        return None
    delay = data.delays()[0]
    points = data.at_delay(delay)
    concurrent = [p for p in points if p.model != schema.SEQUENTIAL]
    if not concurrent:
        return None
    n_max = max(p.tasks for p in concurrent)
    col = Column(sleep_fanout.KEY, f"sleeps: wall, N = {fmt_count(n_max)}",
                 f"sleeps: wall time for N = {fmt_count(n_max)} sleeps of {fmt_ms(delay)} "
                 "(the run's largest N; a model that stopped earlier shows its largest N, "
                 "unranked), lower is better", False, fmt_ms)
    for model in sorted({p.model for p in points}, key=schema.model_order):
        mine = max((p for p in points if p.model == model), key=lambda p: p.tasks)
        if mine.tasks == n_max:
            col.stats[model] = mine.wall
        else:
            col.aside[model] = f"{fmt_value(mine.wall, fmt_ms)} at N = {fmt_count(mine.tasks)}"
    return col


def geometric_mean(stats: list[Stat]) -> Stat:
    """The geometric mean of medians, of minima and of maxima (an interval as wide as the
    parts'), over the fewest repetitions among them."""
    def gm(xs: list[float]) -> float:
        return math.exp(sum(math.log(x) for x in xs) / len(xs))
    return Stat(median=gm([s.median for s in stats]), lo=gm([s.lo for s in stats]),
                hi=gm([s.hi for s in stats]), n=min(s.n for s in stats))


def cpu_target(data: cpu_scaling.CpuScaling) -> int | None:
    """W = cores when the run has it, else the largest W at or below the cores."""
    ws = sorted({p.workers for p in data.points if not cpu_scaling.is_baseline(p.model)})
    return cpu_scaling.target_workers(ws, data.cores) if ws else None


def cpu_speedups(data: cpu_scaling.CpuScaling, workers: int) -> dict[str, Stat]:
    """Each model's speed-up at W = workers, the geometric mean over the kernels it ran."""
    per_model: dict[str, list[Stat]] = {}
    for p in data.points:
        if p.workers == workers and not cpu_scaling.is_baseline(p.model):
            per_model.setdefault(p.model, []).append(p.speedup_stat)
    return {m: geometric_mean(v) for m, v in
            sorted(per_model.items(), key=lambda kv: schema.model_order(kv[0]))}


def _cpu_column(results: Results) -> Column | None:
    data = cpu_scaling.compute(results)
    if data is None or data.empty:
        return None
    target = cpu_target(data)
    if target is None:
        return None
    kernels = ", ".join(data.kernels())
    cores = f" ({data.cores} cores)" if data.cores else ""
    col = Column(cpu_scaling.KEY, f"CPU: speed-up, W = {target}",
                 f"CPU: speed-up over sequential at W = {target} workers{cores}, geometric "
                 f"mean over the kernels ({kernels}), higher is better",
                 True, fmt_speedup)
    col.stats = cpu_speedups(data, target)
    return col


def _throughput_column(results: Results, key: str, header: str, name: str,
                       prefer: dict[str, str]) -> Column | None:
    data = throughput.compute(results, key)
    if data is None:
        return None
    bars = [b for b in data.bars if not b.model.startswith(schema.WRK_PREFIX)]
    labels = [b.point for b in bars]
    point = next((lab for lab in dict.fromkeys(labels) if _params_match(lab, prefer)),
                 _point_with_most(labels))
    if point is None:
        return None
    col = Column(key, header, f"{name}: requests/s at {point}, the suite's load generator "
                 "(wrk's rows: in its section), higher is better", True, _rate)
    col.stats = {b.model: b.rps_stat for b in bars if b.point == point}
    return col


def _counter_column(results: Results, key: str, counters: tuple[str, ...], header: str,
                    definition: Callable[[str, str], str],
                    pick: Callable[[list[str]], str | None]) -> Column | None:
    """A chartless workload ranked by the first of ``counters`` its runs report, at the point
    ``pick`` chooses among the labels."""
    ms = results.ok_measurements(key)
    counter = next((c for c in counters if any(m.stat(c) is not None for m in ms)), None)
    if counter is None:
        return None
    ms = [m for m in ms if m.stat(counter) is not None]
    point = pick([m.name.label for m in ms])
    if point is None:
        return None
    col = Column(key, header, definition(point, counter), True, _rate)
    for m in ms:
        if m.name.label == point:
            s = m.stat(counter)
            assert s is not None
            col.stats.setdefault(m.model, s)
    return col


def _largest_finite_limit(labels: list[str]) -> str | None:
    def limit(label: str) -> float:
        pairs = dict(p.split(":", 1) for p in label.split() if ":" in p)
        try:
            return float(pairs.get("limit", "nan"))
        except ValueError:
            return math.nan
    finite = [lab for lab in labels if not math.isnan(limit(lab))]
    if not finite:
        return _point_with_most(labels)
    top = max(limit(lab) for lab in finite)
    return _point_with_most([lab for lab in finite if limit(lab) == top])


def _pipeline_point(labels: list[str]) -> str | None:
    wanted = {"consumers": "4", "capacity": "16", "work": "cpu"}
    return next((lab for lab in dict.fromkeys(labels) if _params_match(lab, wanted)),
                _point_with_most(labels))


def _blocking_column(results: Results) -> Column | None:
    data = blocking_cdf.compute(results)
    if data is None:
        return None
    settings = data.settings()
    setting = next((s for s in settings if "work:blocking" in s.split()), settings[0])
    col = Column(blocking_cdf.KEY, "blocking call offloaded: p99",
                 f"blocking call offloaded: the cheap requests' p99 with the slow work "
                 f"({setting or 'every run'}) moved off the loop by the model's best way "
                 "(to_thread, a pool), lower is better", False, fmt_us)
    for model in sorted({c.model for c in data.curves}, key=schema.model_order):
        best = [p for c in data.curves if c.model == model and c.point == setting
                and c.variant != blocking_cdf.INLINE and (p := c.p99_stat) is not None]
        if best:
            col.stats[model] = min(best, key=lambda s: s.median)
    return col if col.stats else None


def _limit_column(results: Results) -> Column | None:
    data = concurrency_limit.compute(results)
    if data is None:
        return None
    knee = [p for p in data.points if p.limit == data.capacity]
    if not knee:
        return None
    col = Column(concurrency_limit.KEY, f"limit L = C = {fmt_count(data.capacity)}: req/s",
                 f"limit: requests/s with the client's limit at the server's capacity, "
                 f"L = C = {fmt_count(data.capacity)} (D = {fmt_ms(data.delay_ms)}: Little's "
                 f"law allows {fmt_rate(data.capacity / data.delay_ms * 1e3, REQ)}), "
                 "higher is better", True, _rate)
    col.stats = {p.model: p.rps_stat for p in knee}
    return col


def _spawn_column(results: Results) -> Column | None:
    data = runtime_cost.compute(results)
    if data is None:
        return None
    costs = [c for c in data.per_op if c.workload == "runtime/spawn"]
    if not costs:
        return None
    col = Column("runtime/spawn", "spawn + join",
                 "spawn + join: ns per task (each model's first point; threads at a smaller N), "
                 "lower is better", False, fmt_duration_ns)
    col.stats = {c.model: c.stat for c in costs}
    return col


def columns(results: Results) -> list[Column]:
    """Every headline the run holds, in the report's workload order."""
    cols = [
        _sleep_column(results),
        _cpu_column(results),
        _throughput_column(results, "io/tcp_echo", "TCP echo: req/s", "TCP echo",
                           {"conns": "64", "size": "64"}),
        _throughput_column(results, "io/http_plaintext", "HTTP: req/s", "HTTP plaintext",
                           {"conns": "64"}),
        _counter_column(results, "io/http_fanout",
                        (schema.REQUESTS_PER_SECOND, schema.ITEMS_PER_SECOND),
                        "HTTP fan-out: req/s",
                        lambda point, c: f"HTTP fan-out: {c} at {point} (the largest finite "
                                         "limit L), higher is better", _largest_finite_limit),
        _counter_column(results, "io/pipeline", (schema.ITEMS_PER_SECOND,),
                        "pipeline: items/s",
                        lambda point, c: f"pipeline: items/s at {point}, higher is better",
                        _pipeline_point),
        _blocking_column(results),
        _limit_column(results),
        _spawn_column(results),
    ]
    return [c for c in cols if c is not None and (c.stats or c.aside)]


# --- "Use it when" ---------------------------------------------------------------------------

def _col(cols: list[Column], key: str) -> Column | None:
    return next((c for c in cols if c.key == key), None)


# Headlines where ranking first is worth a clause of "use it when": the clause, the column.
_FIRST_AT = {"io/tcp_echo": ("serving", "TCP echo"),
             "io/http_plaintext": ("serving", "HTTP"),
             "io/http_fanout": ("fanning out requests", "HTTP fan-out"),
             "mixed/blocking_in_loop": ("handing off blocking calls", "p99"),
             "limit/concurrency_limit": ("a client at the server's capacity", "limit")}


def use_when(model: str, cols: list[Column]) -> str:
    """General guidance for one model, each clause backed by a figure of its row."""
    if model == schema.SEQUENTIAL:
        return "the baseline: one thing at a time"
    if model == schema.NGINX:
        return "the outside reference server"
    good: list[str] = []
    bad: list[str] = []
    sleep = _col(cols, sleep_fanout.KEY)
    if sleep is not None:
        if model in sleep.stats:
            good.append(f"many waits ({sleep.header.split('N = ')[-1]}: "
                        f"{fmt_ms(sleep.stats[model].median)})")
        elif model in sleep.aside:
            bad.append(f"many waits (stops at {sleep.aside[model].split(' at ')[-1]})")
    cpu = _col(cols, cpu_scaling.KEY)
    if cpu is not None and model in cpu.stats:
        s = cpu.stats[model]
        where = cpu.header.split(", ")[-1]
        if s.median > 1 + PARALLEL_TOLERANCE:
            good.append(f"CPU work ({fmt_speedup(s.median)} at {where})")
        else:
            bad.append(f"CPU work ({fmt_speedup(s.median)} at {where})")
    firsts: dict[str, list[str]] = {}
    for key, (what, short) in _FIRST_AT.items():
        c = _col(cols, key)
        if c is not None and model in c.stats and len(c.stats) > 1:
            r = ranks(c)[model]
            if r.position == 1:
                firsts.setdefault(what, []).append(f"{short} {r.text}")
    good += [f"{what} ({', '.join(where)})" for what, where in firsts.items()]
    spawn = _col(cols, "runtime/spawn")
    if spawn is not None and model in spawn.stats and len(spawn.stats) > 1:
        if ranks(spawn)[model].position == 1:
            good.append(f"many short tasks (spawn {fmt_duration_ns(spawn.stats[model].median)})")
    text = "; ".join(good)
    if bad:
        text += ("; " if text else "") + "not for " + ", ".join(bad)
    return text or "–"


def decision_table(cols: list[Column]) -> Table:
    """Model × workload: 'figure (rank)', a dash where the model did not run it."""
    models = sorted({m for c in cols for m in [*c.stats, *c.aside]
                     if not m.startswith(schema.WRK_PREFIX)}, key=schema.model_order)
    t = Table(["model", *[c.header for c in cols], "use it when"], numeric=False)
    all_ranks = [ranks(c) for c in cols]
    for model in models:
        cells = [model]
        for c, rk in zip(cols, all_ranks):
            if model in c.stats:
                s = c.stats[model]
                mark = f"{rk[model].text}" + (", unstable" if s.unstable else "")
                cells.append(f"{c.fmt(s.median)} ({mark})" if len(c.stats) > 1 else
                             f"{c.fmt(s.median)}" + (" (unstable)" if s.unstable else ""))
            elif model in c.aside:
                cells.append(c.aside[model])
            else:
                cells.append("–")
        cells.append(use_when(model, cols))
        t.add(*cells)
    return t


# --- The answers -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    key: str  # threads, pool_cpu, loop_waits, limit, to_thread, noise
    question: str
    text: str
    workload: str  # the workload whose section it sums up ("" for noise)


QUESTIONS: dict[str, tuple[str, str]] = {
    "threads": ("How many concurrent tasks before threads fall over?", sleep_fanout.KEY),
    "pool_cpu": ("When does a pool beat a loop? (CPU work)", cpu_scaling.KEY),
    "loop_waits": ("When does a loop beat a pool? (waits)", sleep_fanout.KEY),
    "limit": ("What does limiting concurrency buy?", concurrency_limit.KEY),
    "to_thread": ("What does to_thread cost?", blocking_cdf.KEY),
    "noise": ("Which differences are real?", ""),
}


def _compare(a: Stat, b: Stat) -> str:
    """How a compares with b, when a is the larger: 'within noise', 'about the same (within
    10%)' or 'Nx'."""
    if within_noise(a, b):
        return "within noise"
    ratio = a.median / b.median if b.median > 0 else math.inf
    if abs(ratio - 1) <= ANSWER_TOLERANCE:
        return f"about the same (within {fmt_percent(ANSWER_TOLERANCE)})"
    return fmt_ratio(ratio) if ratio >= 1 else f"{fmt_ratio(1 / ratio)} less"


def _single(*stats: Stat) -> str:
    return "; single sample: not checked across repetitions" if any(
        not s.repeated for s in stats) else ""


def answer_threads(results: Results) -> str | None:
    data = sleep_fanout.compute(results)
    if data is None:
        return None
    delay = data.delays()[0]
    points = data.at_delay(delay)
    threads = [p for p in points if p.model == "threads"]
    loops = [p for p in points if p.model in LOOP_MODELS]
    if not threads or not loops:
        return None
    ref_model = next((m for m in LOOP_MODELS if any(p.model == m for p in loops)))
    loop = max((p for p in loops if p.model == ref_model), key=lambda p: p.tasks)
    top = max(threads, key=lambda p: p.tasks)
    failed = sorted(int(n) for m in results.failures()
                    if m.name.key == sleep_fanout.KEY and m.model == "threads"
                    and m.name.param_float("delay_ms") == delay
                    and (n := m.name.param_float("tasks")) is not None and n > top.tasks)
    d = fmt_ms(delay)
    loop_text = (f"{ref_model} finished {fmt_count(loop.tasks)} in "
                 f"{fmt_value(loop.wall, fmt_ms)}")
    if top.tasks >= loop.tasks:
        at = next(p for p in loops if p.model == ref_model and p.tasks == top.tasks) \
            if any(p.model == ref_model and p.tasks == top.tasks for p in loops) else loop
        return (f"They did not fall over in this run: threads completed every N {ref_model} "
                f"did, up to {fmt_count(top.tasks)} sleeps of {d}, in "
                f"{fmt_value(top.wall, fmt_ms)} against {ref_model}'s "
                f"{fmt_value(at.wall, fmt_ms)} ({_compare(top.wall, at.wall)}"
                f"{_single(top.wall, at.wall)}).")
    if failed:
        head = (f"Threads fell over at N = {fmt_count(failed[0])} (that run failed its check; "
                f"{fmt_count(top.tasks)} is the largest N they completed, in "
                f"{fmt_value(top.wall, fmt_ms)})")
    else:
        head = (f"Threads stopped at N = {fmt_count(top.tasks)} sleeps of {d}, the largest N "
                f"they completed ({fmt_value(top.wall, fmt_ms)}; the suite runs them no "
                "further, see workloads/io/sleep_fanout/README.md for the OS limits)")
    return f"{head}, while {loop_text}{_memory(points, top, ref_model)}."


def _memory(points: list[sleep_fanout.Point], top: sleep_fanout.Point, ref_model: str) -> str:
    """'; at N = 1,000 a waiting thread held 10.2 KiB, a corio task 150 B (69x)': the memory
    per waiting task at threads' largest N, when both report it."""
    ref = next((p for p in points if p.model == ref_model and p.tasks == top.tasks), None)
    a = top.bytes_per_task
    b = None if ref is None else ref.bytes_per_task
    if a is None or b is None or a.median <= 0 or b.median <= 0:
        return ""
    return (f"; at N = {fmt_count(top.tasks)} a waiting thread held {fmt_value(a, fmt_bytes)}, "
            f"a {ref_model} task {fmt_value(b, fmt_bytes)} "
            f"({_compare(a, b) if a.median >= b.median else 'the thread less'})")


def answer_pool_cpu(results: Results) -> str | None:
    data = cpu_scaling.compute(results)
    if data is None or data.empty:
        return None
    target = cpu_target(data)
    if target is None:
        return None
    speed = cpu_speedups(data, target)
    loop_model = next((m for m in LOOP_MODELS if m in speed), None)
    pools = [(m, s) for m, s in speed.items() if m in POOL_MODELS]
    if loop_model is None or not pools:
        return None
    loop = speed[loop_model]
    pool_model, pool = max(pools, key=lambda e: e[1].median)
    cores = f"{data.cores} cores" if data.cores else "an unknown core count"
    where = (f"at W = {target} on {cores} (speed-up over sequential, geometric mean over "
             f"{', '.join(data.kernels())})")
    figures = (f"{pool_model} {fmt_value(pool, fmt_speedup)} against {loop_model}'s "
               f"{fmt_value(loop, fmt_speedup)}")
    if not overlap(pool, loop) and pool.median > loop.median * (1 + ANSWER_TOLERANCE):
        return (f"On CPU work a pool beats a loop: {where}, {figures} on one thread "
                f"({fmt_ratio(pool.median / loop.median)} faster): a loop runs one piece of "
                f"CPU work at a time whatever W{_single(pool, loop)}.")
    why = ("within noise" if overlap(pool, loop) and pool.repeated and loop.repeated else
           "their intervals overlap" if overlap(pool, loop) else
           f"within {fmt_percent(ANSWER_TOLERANCE)}" if pool.median >= loop.median else
           "the loop was faster")
    return (f"On CPU work no pool beat the loop in this run: {where}, the best pool, "
            f"{figures} ({why}{_single(pool, loop)}).")


def answer_loop_waits(results: Results) -> str | None:
    data = sleep_fanout.compute(results)
    if data is None:
        return None
    delay = data.delays()[0]
    points = data.at_delay(delay)
    pool = [p for p in points if p.model == "thread_pool"]
    if not pool:
        return None
    top = max(pool, key=lambda p: p.tasks)
    loop = next((p for m in LOOP_MODELS for p in points
                 if p.model == m and p.tasks == top.tasks), None)
    if loop is None:
        return None
    d = fmt_ms(delay)
    figures = (f"{fmt_count(top.tasks)} sleeps of {d} took thread_pool "
               f"{fmt_value(top.wall, fmt_ms)} and {loop.model} {fmt_value(loop.wall, fmt_ms)}")
    if not overlap(top.wall, loop.wall) and top.wall.median > loop.wall.median * (
            1 + ANSWER_TOLERANCE):
        return (f"On waits a loop beats a pool: {figures} "
                f"({fmt_ratio(top.wall.median / loop.wall.median)} longer for the pool): a pool "
                "of P blocking workers waits N / P times in a row, a loop overlaps all N "
                f"waits{_single(top.wall, loop.wall)}.")
    why = (_compare(top.wall, loop.wall) if top.wall.median >= loop.wall.median else
           "the pool was faster")
    return (f"On waits the loop did not beat the pool in this run: {figures} "
            f"({why}{_single(top.wall, loop.wall)}).")


def answer_limit(results: Results) -> str | None:
    data = concurrency_limit.compute(results)
    if data is None:
        return None
    models = sorted({p.model for p in data.points}, key=schema.model_order)
    model = schema.CORIO if schema.CORIO in models else next(
        (m for m in models if m != schema.SEQUENTIAL), None)
    if model is None:
        return None
    mine = sorted((p for p in data.points if p.model == model),
                  key=lambda p: math.inf if p.limit is None else p.limit)
    knee = next((p for p in mine if p.limit == data.capacity), None)
    last = mine[-1]
    if knee is None or last is knee or knee.p99 is None or last.p99 is None:
        return None
    c = fmt_count(data.capacity)
    at_knee = (f"{model} at L = C = {c} made {fmt_value(knee.rps_stat, lambda v: fmt_rate(v, REQ))}"
               f" with p99 {fmt_value(knee.p99, fmt_us)}")
    at_last = (f"at L = {last.limit_label} {fmt_value(last.rps_stat, lambda v: fmt_rate(v, REQ))}"
               f" with p99 {fmt_value(last.p99, fmt_us)}")
    single = _single(knee.rps_stat, last.rps_stat, knee.p99, last.p99)
    gained = (not within_noise(last.rps_stat, knee.rps_stat)
              and last.rps > knee.rps * (1 + ANSWER_TOLERANCE))
    p99_grew = (not within_noise(last.p99, knee.p99)
                and last.p99.median > knee.p99.median * (1 + ANSWER_TOLERANCE))
    if not gained and p99_grew:
        change = (_compare(last.rps_stat, knee.rps_stat) if last.rps >= knee.rps else
                  f"{fmt_percent(1 - last.rps / knee.rps)} lower")
        return (f"Limiting concurrency to the server's capacity costs no throughput and keeps "
                f"the tail: {at_knee}; {at_last} (throughput {change}, p99 "
                f"{fmt_ratio(last.p99.median / knee.p99.median)}): past the knee a higher "
                f"limit only queues{single}.")
    if gained:
        return (f"In this run a limit above the server's capacity still bought throughput: "
                f"{at_knee}; {at_last} ({fmt_ratio(last.rps / knee.rps)} the requests/s, more "
                f"than {fmt_percent(ANSWER_TOLERANCE)}){single}.")
    p99 = _compare(last.p99, knee.p99) if last.p99.median >= knee.p99.median else "lower"
    return (f"In this run limiting concurrency bought nothing measurable: {at_knee}; {at_last} "
            f"(p99 {p99} without the limit){single}.")


def answer_to_thread(results: Results) -> str | None:
    data = blocking_cdf.compute(results)
    if data is None:
        return None
    runs = results.ok_measurements(blocking_cdf.KEY)
    settings = data.settings()
    setting = next((s for s in settings if "work:blocking" in s.split()), settings[0])
    mine = [c for c in data.curves if c.model == schema.CORIO and c.point == setting]
    inline = next((c for c in mine if c.variant == blocking_cdf.INLINE), None)
    offload = next((c for c in mine if c.variant == "offload"), None)
    if inline is None or offload is None or inline.p99_stat is None or offload.p99_stat is None:
        return None

    def expensive(variant: str) -> Stat | None:
        m = next((m for m in runs if m.model == schema.CORIO
                  and m.name.param("variant") == variant
                  and " ".join(f"{k}:{v}" for k, v in m.name.without("variant")) == setting),
                 None)
        return None if m is None else m.stat("expensive_p50_us")

    a, b = inline.p99_stat, offload.p99_stat
    params = dict(p.split(":", 1) for p in setting.split() if ":" in p)
    kind, ms = params.get("work"), params.get("work_ms")
    what = (f"a {ms} ms blocking call" if kind == "blocking" and ms else
            f"{ms} ms of CPU work" if kind == "cpu" and ms else f"the slow work ({setting})")
    verdict = blocking_cdf.offload_verdict(a, b, "to_thread")
    lowered = verdict.endswith("lower with to_thread")
    benefit = (f"corio::to_thread took {what} off the loop: the cheap requests' p99 went from "
               f"{fmt_value(a, fmt_us)} inline to {fmt_value(b, fmt_us)} ({verdict})")
    if not lowered:
        benefit = (f"corio::to_thread did not lower the cheap requests' p99 in this run: "
                   f"{fmt_value(a, fmt_us)} inline, {fmt_value(b, fmt_us)} offloaded, "
                   f"{what} ({verdict})")
    ea, eb = expensive(blocking_cdf.INLINE), expensive("offload")
    if ea is None or eb is None:
        cost = "; the run does not report the moved requests' own latency (expensive_p50_us)"
    elif within_noise(ea, eb) or abs(eb.median / ea.median - 1) <= ANSWER_TOLERANCE:
        same = _compare(eb, ea) if eb.median >= ea.median else _compare(ea, eb)
        cost = (f"; the moved requests took {fmt_value(eb, fmt_us)} (p50) against "
                f"{fmt_value(ea, fmt_us)} inline, {same}: the hand-off itself costs less than "
                "this run can resolve")
    elif eb.median > ea.median:
        cost = (f"; the moved requests paid for it: {fmt_value(eb, fmt_us)} (p50) against "
                f"{fmt_value(ea, fmt_us)} inline, {fmt_us(eb.median - ea.median)} more")
    else:
        cost = (f"; the moved requests took {fmt_value(eb, fmt_us)} (p50), less than "
                f"{fmt_value(ea, fmt_us)} inline (they no longer wait behind each other)")
    return benefit + cost + _single(a, b) + "."


def answer_noise(results: Results, cols: list[Column]) -> str | None:
    if not cols:
        return None
    ranked = tied = single = 0
    for c in cols:
        if len(c.stats) < 2:
            continue
        for r in ranks(c).values():
            if r.single:
                single += 1
            elif r.tied:
                tied += 1
            else:
                ranked += 1
    counts = results.repetition_counts()
    reps = sorted(n for n in counts if n >= 2)
    total = ranked + tied + single
    if total == 0:
        return "Nothing to compare: no headline has two models."
    if single == total:
        return (f"None can be told from noise in this run: every rank of the table above "
                f"compares single samples (one repetition), so its {fmt_count(total)} ranks "
                "follow the medians alone; the full profile repeats each network, CPU, mixed and "
                "limit benchmark 3 times (--repetitions N for more).")
    unstable = sum(1 for c in cols for s in c.stats.values() if s.unstable)
    across = (f"{reps[0]}" if reps[0] == reps[-1] else f"{reps[0]}-{reps[-1]}") if reps else "1"
    parts = [f"{fmt_count(ranked)} of the table's {fmt_count(total)} ranked figures hold their "
             f"place across {across} repetitions (no min–max overlap)"]
    parts.append(f"{fmt_count(tied)} share a rank within noise (written =N)")
    if single:
        parts.append(f"{fmt_count(single)} are single samples (N?)")
    return ("; ".join(parts) + f"; {fmt_count(unstable)} headline figure"
            + (" is" if unstable == 1 else "s are") + " unstable (max - min above 10% of the "
            "median).")


def answers(results: Results, cols: list[Column]) -> list[Answer]:
    """Every answer the run can give, in QUESTIONS order; a question without data says which
    workload would answer it."""
    computed: dict[str, str | None] = {
        "threads": answer_threads(results),
        "pool_cpu": answer_pool_cpu(results),
        "loop_waits": answer_loop_waits(results),
        "limit": answer_limit(results),
        "to_thread": answer_to_thread(results),
        "noise": answer_noise(results, cols),
    }
    out = []
    for key, (question, workload) in QUESTIONS.items():
        text = computed[key]
        if text is None:
            text = (f"Not answered: this run lacks the runs it needs ({workload})." if workload
                    else "Not answered: no headline figure in this run.")
        out.append(Answer(key, question, text, workload))
    return out


def legend(cols: list[Column]) -> str:
    """How to read a cell, and each headline's definition."""
    return ("Each cell is the model's median and, in parentheses, its rank among the models "
            "that ran that point: =N shares the rank within noise (min–max intervals overlap), "
            "N? is a single sample (ordered by the median alone); a cell without a rank "
            "shows a smaller point the model ran instead. Headline figures: "
            + "; ".join(c.definition for c in cols) + ".")
