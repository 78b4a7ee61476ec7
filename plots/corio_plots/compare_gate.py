"""Comparison gate: each workload's headline figures, OLD against NEW, with a U test.

    compare_gate.py OLD NEW                  (folders holding results.json, or the files)
    compare_gate.py OLD NEW --fail-over 5    (fail on a significant change worse than 5%)
    compare_gate.py OLD NEW --strict         (single-sample rows fail on their change alone)
    compare_gate.py OLD NEW --check-only     (only check that both load and share a benchmark)

What is compared. A benchmark's real time says nothing for the network workloads (tcp_echo,
http_plaintext, blocking_in_loop, concurrency_limit run for a configured duration) nor for
timers (they wait out a sleep), so every workload is compared on its own headline figures,
each in its own direction (HEADLINES below: requests/s and items/s higher is better; p99,
wall time and bytes lower is better). A workload missing from HEADLINES is compared on its
real time. Benchmarks are matched by name without Google Benchmark's suffixes
(``/min_time:0.500``, ``/iterations:1``, ``/repeats:3``, ``/real_time``).

The rule. For each (benchmark, figure) the samples are the values of its repetitions (one
iteration row each; a run that kept only aggregates counts as one sample, its median). The
test is the Mann-Whitney U test (as Google Benchmark's compare.py uses), one-sided in the
harmful direction, at ALPHA = 0.05: "NEW is worse than OLD" is significant when p <= 0.05.
One-sided because a gate asks only that question, and because with 3 repetitions a side the
smallest two-sided p is 0.1: compare.py's two-sided test at 0.05 can never flag 3 against 3,
while the one-sided test flags a change that separates all 3 new samples from all 3 old ones
(p = 1/20 = 0.05). The p-value comes from scipy.stats.mannwhitneyu (exact null distribution
up to EXACT_LIMIT orderings, the normal approximation with tie correction beyond); when values
tie in a small sample it is the exact permutation distribution of the same U statistic, since
scipy's exact method ignores ties and its normal approximation is far off for 3 against 3.

Each line's mark:
    ~  no significant change (or too few repetitions to test one, and not worse than PCT)
    +  significantly better
    -  significantly worse, by no more than PCT percent: reported, does not fail
    !  significantly worse by more than PCT percent: fails the gate
    ?  too few repetitions to test, and worse than PCT percent: a warning, not a failure
       (with --strict it is marked ! and fails)
The change is (new median - old median) / old median; "worse by more than PCT" means a drop of
more than PCT% for a higher-is-better figure, a rise of more than PCT% for a lower-is-better
one. PCT is --fail-over, DEFAULT_FAIL_OVER (10) when not given: a tcp_echo or http_plaintext
run moves 10-20% from one run to the next on a shared VM (workloads/io/tcp_echo/README.md),
5% would fail on the host, not on the code.

Many comparisons. A full run has about 1,000 (benchmark, figure) pairs; at ALPHA = 0.05 about
5% of the unchanged ones test significant in each direction by chance (the output says how many
to expect), which is why significance alone never fails the gate: the threshold does. How
often an unchanged figure still fails, simulated with 3 repetitions a side and log-normal
scatter sigma per repetition: sigma 3%: never at 10%; sigma 5%: 0.5% at 10%, never at 20%;
sigma 10%: 3% at 10%, 0.3% at 20%. A whole-run comparison on a noisy host can therefore fail on
a few rows by chance; a failure ends with a corio-bench --filter that reruns just those rows
(run them with more repetitions before believing them).

Too few repetitions. A (benchmark, figure) is testable when the smallest p its sample sizes
allow, 1 / C(n_old + n_new, n_old), is <= ALPHA: 3 against 3 and more (2 against 4 is not:
1/15). The quick profile, the reference run and some runtime rows have one repetition; a
single sample on a shared machine moves 20-40% between runs (README.md: the reference run's
runtime group ran that much slower an hour after the previous one), so a gate that failed on
it would fail on noise and be ignored. Such rows never fail by default: their change is shown,
those worse than PCT are marked ? and listed in a warning before the verdict, telling to
rerun with --repetitions 3. --strict makes them fail on their change alone (for a CI that
only has single runs and accepts the noise, with a larger --fail-over).

Never silently dropped: benchmarks only in OLD (missing from NEW) and only in NEW, benchmarks
that failed their check in either run, and figures that are zero, negative or missing in a run
(no change can be computed) are each listed in their own section. None of these fails the
gate: a filtered run or a new workload is not a regression, and run_all.sh already refuses
to keep a run whose check failed.

Output (stdout): the rule and the marks; one line per compared (benchmark, figure): mark,
name, figure, old median, new median, change, p (one-sided, in the direction of the change),
repetitions; the geometric mean of new/old per figure and over all figures direction-
normalised; how many marks chance alone gives; the sections above; on a failure, the
--filter to rerun the failing benchmarks; the verdict, the failing lines last.

Exit status: 0 no significant regression beyond PCT; 1 at least one (listed last); 2 bad
input (missing or corrupt results, no benchmark in common, a bad option, no scipy): one line
on stderr; 3 an internal error (a bug here must not read as a regression).
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import math
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

from corio_plots import schema
from corio_plots.load import (CPU_TIME_NS, REAL_TIME_NS, Measurement, Results, ResultsError,
                              load_results)
from corio_plots.units import fmt_bytes, fmt_duration_ns, fmt_ms, fmt_number, fmt_rate, fmt_us

ALPHA = 0.05
DEFAULT_FAIL_OVER = 10.0
# Up to this many ways to split the pooled samples (C(8+8, 8) = 12,870) the p-value is exact.
EXACT_LIMIT = 20_000

# runtime/timers: p99 of each timer's fire time minus its deadline. A newer counter than
# overshoot_ms (schema.TIMER_LATENESS_P99_US, named here so that this module does not depend on
# when schema.py gains it); runs without it are compared on overshoot_ms.
TIMER_LATENESS_P99_US = "timer_lateness_p99_us"


@dataclass(frozen=True)
class Figure:
    """One headline figure of a workload.

    metrics: the counter to compare, with fall-backs: the first one both runs report is
    compared (a counter added since OLD was run falls back to the one OLD has).
    optional: a benchmark that reports none of them in either run does not have this figure
    (e.g. sleep_fanout's sequential rows have no bytes_per_task); a required figure missing
    from both runs is listed among the missing values.
    min_param: (key, value): compared only where the name's parameter ``key`` is >= value.
    """

    metrics: tuple[str, ...]
    higher_is_better: bool
    optional: bool = False
    min_param: tuple[str, float] | None = None

    def describe(self) -> str:
        """requests_per_second (higher is better), for --help."""
        text = " else ".join(_metric_label(m) for m in self.metrics)
        text += " (higher is better" if self.higher_is_better else " (lower is better"
        if self.min_param is not None:
            text += f"; from {self.min_param[0]}:{self.min_param[1]:g}"
        if self.optional:
            text += "; where reported"
        return text + ")"

    def applies_to(self, m: Measurement) -> bool:
        if self.min_param is None:
            return True
        key, least = self.min_param
        value = m.name.param_float(key)
        return value is not None and value >= least


_UP, _DOWN = True, False
_RPS = Figure((schema.REQUESTS_PER_SECOND,), _UP)
_P99 = Figure((schema.LATENCY_P99_US,), _DOWN)
_SERVER_RSS = Figure((schema.SERVER_RSS_BYTES,), _DOWN, optional=True)
_ITEMS = Figure((schema.ITEMS_PER_SECOND,), _UP)
_WALL = Figure((REAL_TIME_NS,), _DOWN)
_TASK_BYTES = Figure((schema.BYTES_PER_TASK,), _DOWN)

# The headline figures of each workload, in the order they are printed. Real time is not one
# of the network workloads' figures: they run for a configured duration.
HEADLINES: dict[str, tuple[Figure, ...]] = {
    "io/tcp_echo": (_RPS, _P99, _SERVER_RSS),
    "io/http_plaintext": (_RPS, _P99, _SERVER_RSS),
    "mixed/blocking_in_loop": (_RPS, _P99, _SERVER_RSS),
    "limit/concurrency_limit": (_RPS, _P99),
    # requests_per_second (first request to last answer) is newer than items_per_second
    # (set-up included): runs without it are compared on items_per_second.
    "io/http_fanout": (Figure((schema.REQUESTS_PER_SECOND, schema.ITEMS_PER_SECOND), _UP),),
    "io/pipeline": (_ITEMS,),
    "runtime/spawn": (_ITEMS,),
    "runtime/switch": (_ITEMS,),
    "runtime/gather": (_ITEMS,),
    "runtime/sync": (_ITEMS,),
    # sleep_fanout: the wall time is the figure; bytes_per_task only from N >= 1,000 tasks
    # (below, a page more or less is most of the figure; the workload's README quotes it from
    # N >= 1,000 too).
    "io/sleep_fanout": (_WALL, Figure((schema.BYTES_PER_TASK,), _DOWN, optional=True,
                                      min_param=("tasks", 1000))),
    # timers wait out a sleep: real time and items/s are the sleep, not a cost.
    "runtime/timers": (_TASK_BYTES,
                       Figure((TIMER_LATENESS_P99_US, schema.OVERSHOOT_MS), _DOWN)),
    "runtime/task_memory": (_TASK_BYTES,),
    # idle_connections: the bytes an idle connection holds, and a new client's p99 beside them
    # (real time is the server's start and N connects, no figure).
    "io/idle_connections": (Figure((schema.BYTES_PER_CONNECTION,), _DOWN),
                            Figure((schema.NEW_CLIENT_P99_US,), _DOWN)),
    "cpu/cpu_scaling": (_WALL,),
    "runtime/skynet": (_WALL,),
}
DEFAULT_FIGURES: tuple[Figure, ...] = (_WALL,)


def figures_of(workload_key: str) -> tuple[Figure, ...]:
    return HEADLINES.get(workload_key, DEFAULT_FIGURES)


# --- The test ------------------------------------------------------------------------------

def min_p(n_old: int, n_new: int) -> float:
    """The smallest one-sided p a U test can give for these sample sizes."""
    if n_old < 1 or n_new < 1:
        return 1.0
    return 1.0 / math.comb(n_old + n_new, n_old)


def testable(n_old: int, n_new: int, alpha: float = ALPHA) -> bool:
    return min_p(n_old, n_new) <= alpha * (1 + 1e-9)


def _exact_permutation_p(new: list[float], old: list[float], greater: bool) -> float:
    """P(U >= u) (greater) or P(U <= u) under every split of the pooled samples, U being the
    Mann-Whitney statistic of ``new`` with mid-ranks for ties."""
    from scipy.stats import rankdata

    pooled = new + old
    ranks = rankdata(pooled)
    n = len(new)
    offset = n * (n + 1) / 2
    observed = sum(ranks[:n]) - offset
    hits = total = 0
    for chosen in itertools.combinations(range(len(pooled)), n):
        u = sum(ranks[i] for i in chosen) - offset
        total += 1
        if (u >= observed - 1e-9) if greater else (u <= observed + 1e-9):
            hits += 1
    return hits / total


def one_sided_p(new: list[float], old: list[float], greater: bool) -> float:
    """p of the one-sided Mann-Whitney U test "new tends to be greater than old" (greater) or
    "less than old". 1.0 when every value is equal (nothing moved)."""
    if len(set(new) | set(old)) == 1:
        return 1.0
    from scipy.stats import mannwhitneyu

    alternative = "greater" if greater else "less"
    small = math.comb(len(new) + len(old), len(new)) <= EXACT_LIMIT
    if not small:
        return float(mannwhitneyu(new, old, alternative=alternative,
                                  method="asymptotic").pvalue)
    if len(set(new + old)) < len(new) + len(old):  # ties
        return _exact_permutation_p(new, old, greater)
    return float(mannwhitneyu(new, old, alternative=alternative, method="exact").pvalue)


# --- The comparison ------------------------------------------------------------------------

@dataclass(frozen=True)
class Samples:
    values: list[float]
    aggregates_only: bool = False  # no repetition rows: the median aggregate stands for them

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def median(self) -> float:
        return statistics.median(self.values)


def samples(m: Measurement, metric: str) -> Samples | None:
    """The metric's value in each repetition of ``m``; None when no row reports it."""
    values = [r.metrics[metric] for r in m.iterations if metric in r.metrics]
    if values:
        return Samples(values)
    value = m.value(metric)
    return Samples([value], aggregates_only=True) if value is not None else None


@dataclass
class FigureChange:
    """One compared (benchmark, figure)."""

    name: str
    metric: str
    higher_is_better: bool
    old: Samples
    new: Samples
    p_worse: float  # one-sided p of "NEW is worse"
    p_better: float  # one-sided p of "NEW is better"
    testable: bool
    mark: str = "~"

    @property
    def old_median(self) -> float:
        return self.old.median

    @property
    def new_median(self) -> float:
        return self.new.median

    @property
    def change(self) -> float:
        """(new - old) / old, in percent (old is > 0 for every compared figure)."""
        return (self.new_median - self.old_median) / self.old_median * 100.0

    @property
    def worse_by(self) -> float:
        """How much worse, in percent of the old median (negative: better)."""
        return -self.change if self.higher_is_better else self.change

    @property
    def cost_ratio(self) -> float | None:
        """new/old normalised so that > 1 is worse (old/new for higher-is-better); None when
        the new median is not positive."""
        if self.new_median <= 0:
            return None
        ratio = self.new_median / self.old_median
        return 1.0 / ratio if self.higher_is_better else ratio

    @property
    def p(self) -> float:
        """The one-sided p in the direction of the change."""
        return self.p_better if self.worse_by < 0 else self.p_worse

    @property
    def direction(self) -> str:
        return "higher is better" if self.higher_is_better else "lower is better"


@dataclass(frozen=True)
class Unusable:
    """A figure that could not be compared: zero, negative or missing in a run."""

    name: str
    metric: str
    reason: str


@dataclass
class Comparison:
    changes: list[FigureChange]
    only_old: list[str]
    only_new: list[str]
    failed: list[tuple[str, str]]  # (name, "failed in OLD: message; ...")
    unusable: list[Unusable]
    fail_over: float
    strict: bool = False
    alpha: float = ALPHA
    common: int = 0  # benchmarks in both runs (failed ones included)

    def regressions(self) -> list[FigureChange]:
        return [c for c in self.changes if c.mark == "!"]

    def untested_worse(self) -> list[FigureChange]:
        return [c for c in self.changes if c.mark == "?"]

    def counts(self) -> dict[str, int]:
        out = {mark: 0 for mark in "~+-!?"}
        for c in self.changes:
            out[c.mark] += 1
        return out


def _mark(c: FigureChange, fail_over: float, alpha: float, strict: bool) -> str:
    beyond = c.worse_by > fail_over
    if not c.testable:
        if beyond:
            return "!" if strict else "?"
        return "~"
    if c.p_worse <= alpha * (1 + 1e-9):
        return "!" if beyond else "-"
    if c.p_better <= alpha * (1 + 1e-9):
        return "+"
    return "~"


def _describe_failure(old: Measurement | None, new: Measurement | None) -> str:
    parts = []
    for side, m in (("OLD", old), ("NEW", new)):
        if m is not None and m.error is not None:
            parts.append(f"failed in {side}: {m.error}")
    return "; ".join(parts)


def _by_name(results: Results) -> dict[str, Measurement]:
    """Every measurement by name, workloads in run order, models in the fixed model order."""
    out: dict[str, Measurement] = {}
    for key in results.workload_keys():
        for m in results.measurements(key):
            out.setdefault(m.name.base, m)
    return out


def _compare_figure(name: str, fig: Figure, old: Measurement, new: Measurement,
                    alpha: float) -> FigureChange | Unusable | None:
    """One figure of one benchmark: a FigureChange, an Unusable, or None when the benchmark
    does not have this (optional) figure."""
    found = {metric: (samples(old, metric), samples(new, metric)) for metric in fig.metrics}
    in_both = [mt for mt, (o, n) in found.items() if o is not None and n is not None]
    if not in_both:
        one_side = [(mt, "OLD" if o is not None else "NEW") for mt, (o, n) in found.items()
                    if o is not None or n is not None]
        if one_side:
            metric, side = one_side[0]
            other = "NEW" if side == "OLD" else "OLD"
            return Unusable(name, metric, f"in {side} only, missing from {other}")
        if fig.optional:
            return None
        return Unusable(name, "/".join(fig.metrics), "reported by neither run")
    metric = in_both[0]
    o, n = found[metric]
    assert o is not None and n is not None
    if o.median <= 0:
        what = "zero" if o.median == 0 else f"negative ({o.median:g})"
        return Unusable(name, metric, f"{what} in OLD: no change can be computed")
    # Harmful direction: lower for a higher-is-better figure, higher otherwise.
    worse_greater = not fig.higher_is_better
    can_test = testable(o.n, n.n, alpha) and not (o.aggregates_only or n.aggregates_only)
    if can_test:
        p_worse = one_sided_p(n.values, o.values, greater=worse_greater)
        p_better = one_sided_p(n.values, o.values, greater=not worse_greater)
    else:
        p_worse = p_better = math.nan
    return FigureChange(name=name, metric=metric, higher_is_better=fig.higher_is_better,
                        old=o, new=n, p_worse=p_worse, p_better=p_better, testable=can_test)


def compare(old: Results, new: Results, fail_over: float = DEFAULT_FAIL_OVER,
            strict: bool = False, alpha: float = ALPHA) -> Comparison:
    old_m, new_m = _by_name(old), _by_name(new)
    result = Comparison(changes=[], only_old=[], only_new=[], failed=[], unusable=[],
                        fail_over=fail_over, strict=strict, alpha=alpha)
    result.only_old = [n for n in old_m if n not in new_m]
    result.only_new = [n for n in new_m if n not in old_m]
    for name, o in old_m.items():
        n = new_m.get(name)
        if n is None:
            continue
        result.common += 1
        if o.error is not None or n.error is not None:
            result.failed.append((name, _describe_failure(o, n)))
            continue
        for fig in figures_of(o.name.key):
            if not fig.applies_to(o):
                continue
            outcome = _compare_figure(name, fig, o, n, alpha)
            if isinstance(outcome, FigureChange):
                outcome.mark = _mark(outcome, fail_over, alpha, strict)
                result.changes.append(outcome)
            elif isinstance(outcome, Unusable):
                result.unusable.append(outcome)
    return result


def geometric_means(changes: list[FigureChange]) -> tuple[list[tuple[str, str, float, int]],
                                                          tuple[float, int] | None]:
    """Per figure: (metric, direction, geometric mean of new/old, count); and over every
    figure, the geometric mean of the direction-normalised ratio (> 1 worse) and its count.
    Figures whose new median is not positive are left out (no logarithm)."""
    per: dict[tuple[str, str], list[float]] = {}
    normalised: list[float] = []
    for c in changes:
        if c.new_median <= 0:
            continue
        per.setdefault((c.metric, c.direction), []).append(c.new_median / c.old_median)
        ratio = c.cost_ratio
        assert ratio is not None
        normalised.append(ratio)

    def gmean(xs: list[float]) -> float:
        return math.exp(math.fsum(math.log(x) for x in xs) / len(xs))

    rows = [(metric, direction, gmean(xs), len(xs)) for (metric, direction), xs in per.items()]
    overall = (gmean(normalised), len(normalised)) if normalised else None
    return rows, overall


# --- Output --------------------------------------------------------------------------------

def fmt_value(metric: str, value: float) -> str:
    if metric in (REAL_TIME_NS, CPU_TIME_NS):
        return fmt_duration_ns(value)
    if metric.endswith("_per_second") or metric.endswith("_rps"):
        return fmt_rate(value)
    if metric.endswith("_us"):
        return fmt_us(value)
    if metric.endswith("_ms"):
        return fmt_ms(value)
    if "bytes" in metric:
        return fmt_bytes(value)
    return fmt_number(value)


def _metric_label(metric: str) -> str:
    return "real_time" if metric == REAL_TIME_NS else metric


def _n(count: int, noun: str) -> str:
    """3 benchmarks, 1 benchmark."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _pct(x: float) -> str:
    return f"{x:+.1f}%"


def _reps(c: FigureChange) -> str:
    text = f"n={c.old.n}/{c.new.n}"
    if c.old.aggregates_only or c.new.aggregates_only:
        return text + ": aggregates only, not testable"
    if not c.testable:
        return text + ": not testable"
    return text


def _p_text(c: FigureChange) -> str:
    return "-" if not c.testable else f"{c.p:.3g}"


def _cells(c: FigureChange) -> list[str]:
    return [c.mark, c.name, _metric_label(c.metric), fmt_value(c.metric, c.old_median), "->",
            fmt_value(c.metric, c.new_median), _pct(c.change), f"p={_p_text(c)}", _reps(c)]


def _table(changes: list[FigureChange]) -> list[str]:
    """One aligned line per change: names and figures left, numbers right."""
    rows = [_cells(c) for c in changes]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    right = {3, 6}
    lines = []
    for r in rows:
        cells = [cell.rjust(w) if i in right else cell.ljust(w)
                 for i, (cell, w) in enumerate(zip(r, widths))]
        lines.append(" ".join(cells[:2]) + "  " + "  ".join(cells[2:3]) + "  " +
                     " ".join(cells[3:6]) + "  " + "  ".join(cells[6:]))
    return [line.rstrip() for line in lines]


def _short_line(c: FigureChange) -> str:
    return (f"  {c.name} {_metric_label(c.metric)}: {fmt_value(c.metric, c.old_median)} -> "
            f"{fmt_value(c.metric, c.new_median)} ({_pct(c.change)}, {c.direction}; "
            f"p={_p_text(c)}, {_reps(c)})")


def render(result: Comparison, old_path: Path, new_path: Path) -> list[str]:
    limit = f"{result.fail_over:g}%"
    single = ("fail on their change alone (--strict)" if result.strict else
              "never fail: marked ? when worse than the limit (--strict makes them fail)")
    out = [
        f"compare_gate: OLD {old_path}",
        f"compare_gate: NEW {new_path}",
        f"rule: each workload's headline figures in their own direction; one-sided "
        f"Mann-Whitney U test over repetitions, in the harmful direction, alpha "
        f"{result.alpha:g}; fails on a significant change worse than {limit} (--fail-over)",
        f"      testable from 3 repetitions a side (smallest p 0.05); rows with fewer {single}",
        f"marks: ~ no significant change   + significantly better   - significantly worse, "
        f"within {limit}",
        f"       ! significantly worse by more than {limit} (fails)   ? not testable "
        f"(too few repetitions) and worse by more than {limit}",
        "columns: mark, benchmark, figure, old median -> new median, change, p (one-sided, in "
        "the direction of the change), repetitions OLD/NEW",
        "",
    ]
    changes = result.changes
    if changes:
        out += _table(changes)
    else:
        out.append("(no figure could be compared: see the sections below)")

    per, overall = geometric_means(changes)
    out += ["", "geometric mean of new/old, per figure:"]
    for metric, direction, g, count in per:
        out.append(f"  {_metric_label(metric):<24} {g:7.3f}x  over {_n(count, 'benchmark'):>15} "
                   f"({direction})")
    if overall is not None:
        g, count = overall
        verdict = "worse" if g > 1 else "better" if g < 1 else "unchanged"
        out.append(f"  all figures, direction-normalised (new/old, old/new for higher-is-better; "
                   f"above 1 is worse): {g:.3f}x over {count}: {abs(g - 1) * 100:.1f}% "
                   f"{verdict}")
    left_out = sum(1 for c in changes if c.new_median <= 0)
    if left_out:
        out.append(f"  ({_n(left_out, 'figure')} with a new median of 0 or less left out of the "
                   "means)")

    def section(title: str, lines: list[str]) -> None:
        if lines:
            out.extend(["", title, *lines])

    section(f"only in OLD, missing from NEW ({_n(len(result.only_old), 'benchmark')}, "
            "not compared):",
            [f"  {n}" for n in result.only_old])
    section(f"only in NEW ({_n(len(result.only_new), 'benchmark')}, not compared):",
            [f"  {n}" for n in result.only_new])
    section(f"failed their check in a run ({_n(len(result.failed), 'benchmark')}, not compared):",
            [f"  {n}: {why}" for n, why in result.failed])
    section(f"zero or missing values ({_n(len(result.unusable), 'figure')}, not compared):",
            [f"  {u.name} {_metric_label(u.metric)}: {u.reason}" for u in result.unusable])
    untested = result.untested_worse()
    section(f"warning: {_n(len(untested), 'change')} worse than {limit} could not be tested (too "
            f"few repetitions; not failed): rerun both with --repetitions 3, or use --strict",
            [_short_line(c) for c in untested])

    tested = sum(c.testable for c in changes)
    if tested:
        out += ["", f"chance: at alpha {result.alpha:g} about {result.alpha:.0%} of the "
                    f"{tested} tested figures (~{result.alpha * tested:.0f}) are marked - and as "
                    "many + when nothing changed; only those worse than the limit fail, and "
                    "a figure whose repetitions scatter by a good part of the limit can: "
                    "rerun a failure before believing it"]

    counts = result.counts()
    summary = (f"{_n(len(changes), 'figure')} of {_n(result.common, 'benchmark')} compared: "
               f"{counts['~']} ~, {counts['+']} +, {counts['-']} -, {counts['!']} !, "
               f"{counts['?']} ?; {sum(not c.testable for c in changes)} not testable")
    regressions = result.regressions()
    out.append("")
    if regressions:
        names = list(dict.fromkeys(c.name for c in regressions))
        out.append(f"rerun them: ./run_all.sh --filter '{rerun_filter(names)}' --repetitions 5, "
                   "then compare again")
        out.append(f"compare_gate: FAIL: {_n(len(regressions), 'significant regression')} "
                   f"worse than {limit} ({summary}):")
        out += [_short_line(c) for c in regressions]
    else:
        out.append(f"compare_gate: OK: no significant regression worse than {limit} ({summary})")
    return out


def rerun_filter(names: list[str]) -> str:
    """A corio-bench --filter regular expression selecting exactly these benchmarks (their
    names are followed by Google Benchmark's /min_time:..., /iterations:... or /real_time)."""
    special = set("\\.^$|?*+()[]{}")
    escaped = ["".join("\\" + ch if ch in special else ch for ch in n) for n in names]
    return f"^({'|'.join(escaped)})/"


# --- Command line --------------------------------------------------------------------------

class _BadInput(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad input as one line and exit status 2 (its default is usage
    plus a line)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _BadInput(message)


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of percent (e.g. 10)")
    if not (value >= 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"{text!r}: the percentage must be 0 or more")
    return value


def main(argv: list[str] | None = None) -> int:
    figures = "\n".join(f"  {key}: {', '.join(f.describe() for f in figs)}"
                        for key, figs in HEADLINES.items())
    parser = _Parser(
        prog="compare_gate.py",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Compare each workload's headline figures of two runs with a one-sided "
                    "Mann-Whitney U test over repetitions; exit 1 on a significant regression "
                    "beyond PCT%. Rules and marks: plots/corio_plots/compare_gate.py.",
        epilog=f"headline figures (any other workload: real_time, lower is better):\n"
               f"{figures}")
    parser.add_argument("old", type=Path, help="baseline results folder (or results.json)")
    parser.add_argument("new", type=Path, help="contender results folder (or results.json)")
    parser.add_argument("--fail-over", type=_percent, metavar="PCT", default=DEFAULT_FAIL_OVER,
                        help="fail on a significant change worse than PCT percent "
                             f"(default {DEFAULT_FAIL_OVER:g})")
    parser.add_argument("--strict", action="store_true",
                        help="rows with too few repetitions to test fail on their change alone")
    parser.add_argument("--check-only", action="store_true",
                        help="only check that both runs load and share a benchmark")
    try:
        args = parser.parse_args(argv)
    except _BadInput as e:
        print(f"compare_gate: {e} (usage: compare_gate.py OLD NEW [--fail-over PCT] "
              "[--strict])", file=sys.stderr)
        return 2
    try:
        old, new = load_results(args.old), load_results(args.new)
    except ResultsError as e:
        print(f"compare_gate: {e}", file=sys.stderr)
        return 2
    old_names = {m.name.base for m in old.measurements()}
    if not any(m.name.base in old_names for m in new.measurements()):
        print(f"compare_gate: {args.old} and {args.new} have no benchmark in common; nothing "
              "to compare", file=sys.stderr)
        return 2
    if args.check_only:
        return 0
    try:
        importlib.import_module("scipy.stats")
    except ImportError:
        print("compare_gate: the U test needs scipy: install python3-scipy "
              "(sudo scripts/install_deps.sh) and use /usr/bin/python3", file=sys.stderr)
        return 2
    try:
        result = compare(old, new, fail_over=args.fail_over, strict=args.strict)
        lines = render(result, old.path, new.path)
    except Exception as e:  # noqa: BLE001: a bug must not read as "a regression" (exit 1)
        print(f"compare_gate: internal error ({e.__class__.__name__}: {e}); please report it",
              file=sys.stderr)
        return 3
    print("\n".join(lines))
    return 1 if result.regressions() else 0
