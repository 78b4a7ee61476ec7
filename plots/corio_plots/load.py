"""Loads and validates results.json (Google Benchmark 1.7.1 JSON output of corio-bench).

    results = load_results(Path("results/20250101T120000Z-host"))   # or .../results.json
    for m in results.measurements("io/sleep_fanout"):
        print(m.name.model, m.name.param("tasks"), m.stat(REAL_TIME_NS), m.value("overlap"))

A Measurement is one benchmark (one parameter point of one model) with its repetitions
folded in: one "iteration" row per repetition (rows of different benchmarks may come in any
order) plus Google Benchmark's mean/median/stddev/cv aggregate rows. The value of a metric is
the median of its iteration rows (the "median" aggregate when only aggregates were written);
its spread, ``stat()``, is the min–max of the iteration rows (corio_plots.stats).

Anything that is not readable Google Benchmark JSON, or is but cannot be a corio-bench run,
raises ResultsError with a one-line message saying what is wrong and how to fix it; the CLIs
turn it into exit status 2. Parseable but impossible: no corio benchmark at all (an empty
list, or only foreign names), a run that passed its check with a real time of 0 or less, a
rate counter (``*_per_second``, ``*_rps``) of 0 or less, another contract counter below 0
(but the growths and clock differences of schema.SIGNED_COUNTERS), and a duplicated row (the
same name and repetition_index twice; without repetition fields, the same name twice among
the iteration rows of a single-repetition run).
"""

from __future__ import annotations

import json
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corio_plots import schema
from corio_plots.names import BenchName, BenchNameError, parse_name
from corio_plots.schema import model_order
from corio_plots.stats import Stat
from corio_plots.units import GB_TIME_UNIT_NS

RESULTS_FILE = "results.json"
REAL_TIME_NS = "real_time_ns"
CPU_TIME_NS = "cpu_time_ns"

# Numeric keys of a benchmark entry that are Google Benchmark's bookkeeping, not counters.
_GB_NUMERIC_KEYS = frozenset({
    "family_index", "per_family_instance_index", "repetitions", "repetition_index", "threads",
    "iterations", "real_time", "cpu_time",
})


class ResultsError(Exception):
    """A results file that cannot be used. str() is one line: what, where, how to fix it."""


@dataclass(frozen=True)
class Row:
    """One entry of the "benchmarks" list."""

    name: BenchName
    raw_name: str
    run_type: str  # "iteration" or "aggregate"
    aggregate: str | None  # "mean", "median", "stddev", "cv" for aggregate rows
    repetitions: int
    iterations: int
    metrics: dict[str, float]  # real_time_ns, cpu_time_ns and every counter
    error: str | None
    repetition_index: int | None = None  # None when the entry has no such field


@dataclass
class Measurement:
    """One benchmark (one model at one parameter point), repetitions folded in."""

    name: BenchName
    iterations: list[Row] = field(default_factory=list)
    aggregates: dict[str, Row] = field(default_factory=dict)
    error: str | None = None

    @property
    def model(self) -> str:
        return self.name.model

    @property
    def repetitions(self) -> int:
        if self.iterations:
            return len(self.iterations)
        mean = self.aggregates.get("mean")
        return mean.repetitions if mean else 0

    def samples(self, metric: str) -> list[float]:
        """The metric in each repetition (iteration row) that reported it, in file order."""
        return [r.metrics[metric] for r in self.iterations if metric in r.metrics]

    def stat(self, metric: str) -> Stat | None:
        """Median and min–max over the repetitions; with aggregate rows only, the median
        aggregate as a single sample (no spread known). None when no row reports it."""
        values = self.samples(metric)
        if values:
            return Stat.of(values)
        median = self.aggregates.get("median")
        if median is not None and metric in median.metrics:
            return Stat.single(median.metrics[metric])
        return None

    def value(self, metric: str) -> float | None:
        """The metric's central value: the median of the iteration rows, else the median
        aggregate."""
        s = self.stat(metric)
        return None if s is None else s.median

    def spread(self, metric: str) -> float | None:
        """Standard deviation over repetitions; None when there was only one. (The report
        uses stat()'s min–max; this stays for callers that want a standard deviation.)"""
        values = self.samples(metric)
        if len(values) >= 2:
            return statistics.stdev(values)
        stddev = self.aggregates.get("stddev")
        if stddev is not None and metric in stddev.metrics:
            return stddev.metrics[metric]
        return None

    @property
    def real_time_ns(self) -> float | None:
        return self.value(REAL_TIME_NS)

    def metrics(self) -> list[str]:
        """Every metric present, in first-seen order."""
        seen: dict[str, None] = {}
        for row in [*self.iterations, *self.aggregates.values()]:
            for key in row.metrics:
                seen.setdefault(key, None)
        return list(seen)


@dataclass
class Results:
    path: Path
    context: dict[str, Any]
    rows: list[Row]
    ignored: list[str]  # names that are not group/workload/model/...

    @property
    def num_cpus(self) -> int | None:
        value = self.context.get("num_cpus")
        return int(value) if isinstance(value, (int, float)) and value > 0 else None

    def workload_keys(self) -> list[str]:
        """group/workload of every benchmark present, in first-seen order."""
        return list(dict.fromkeys(row.name.key for row in self.rows))

    def measurements(self, key: str | None = None) -> list[Measurement]:
        """Every measurement (of one workload when ``key`` is group/workload), models in
        the fixed model order, parameter points in run order."""
        grouped: dict[str, Measurement] = {}
        for row in self.rows:
            if key is not None and row.name.key != key:
                continue
            m = grouped.setdefault(row.name.base, Measurement(name=row.name))
            if row.error and m.error is None:
                m.error = row.error
            if row.run_type == "aggregate" and row.aggregate:
                m.aggregates[row.aggregate] = row
            elif row.error is None:
                m.iterations.append(row)
        ordered = list(grouped.values())
        ordered.sort(key=lambda m: model_order(m.model))  # stable: keeps run order per model
        return ordered

    def ok_measurements(self, key: str) -> list[Measurement]:
        """Measurements of a workload that did not fail and have a real time."""
        return [m for m in self.measurements(key)
                if m.error is None and m.real_time_ns is not None]

    def failures(self) -> list[Measurement]:
        return [m for m in self.measurements() if m.error is not None]

    def repetition_counts(self) -> dict[int, int]:
        """How many measurements that passed their check have N repetitions, per N
        (0: aggregate rows only, no spread known)."""
        counts: dict[int, int] = {}
        for m in self.measurements():
            if m.error is None:
                n = len(m.iterations)
                counts[n] = counts.get(n, 0) + 1
        return dict(sorted(counts.items()))


def _fail(path: Path, what: str) -> ResultsError:
    return ResultsError(f"{path}: {what}")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _parse_row(path: Path, index: int, entry: Any) -> Row | str:
    """A Row, or the entry's name when it is not a corio benchmark name."""
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise _fail(path, f"benchmark #{index} has no \"name\"; the file is not Google "
                          "Benchmark JSON: re-run corio-bench --out FILE.json")
    raw_name: str = entry["name"]
    run_type = entry.get("run_type", "iteration")
    aggregate = entry.get("aggregate_name") if run_type == "aggregate" else None
    try:
        name = parse_name(raw_name, aggregate)
    except BenchNameError:
        return raw_name
    if run_type == "aggregate" and aggregate is None:
        aggregate = name.aggregate
    error = None
    if entry.get("error_occurred"):
        error = str(entry.get("error_message") or "failed without a message")
    unit = entry.get("time_unit", "ns")
    if unit not in GB_TIME_UNIT_NS:
        raise _fail(path, f"benchmark {raw_name!r} has time_unit {unit!r}; expected one of "
                          f"{', '.join(GB_TIME_UNIT_NS)}")
    metrics: dict[str, float] = {}
    # An aggregate "cv" row holds ratios in its time fields; it is never used as a time.
    for key, target in (("real_time", REAL_TIME_NS), ("cpu_time", CPU_TIME_NS)):
        value = _number(entry.get(key))
        if value is None and error is None:
            raise _fail(path, f"benchmark {raw_name!r} has no numeric {key!r}; the file is "
                              "damaged: re-run corio-bench")
        if value is not None and error is None:
            metrics[target] = value * GB_TIME_UNIT_NS[unit]
    for key, raw in entry.items():
        if key in _GB_NUMERIC_KEYS:
            continue
        value = _number(raw)
        if value is not None:
            metrics[key] = value
    # stddev and cv rows hold spreads and ratios: 0 is right there. Every other row of a run
    # that passed its check holds measured values.
    if error is None and aggregate not in ("stddev", "cv"):
        _check_values(path, raw_name, metrics)
    index = _number(entry.get("repetition_index"))
    return Row(
        name=name,
        raw_name=raw_name,
        run_type=str(run_type),
        aggregate=aggregate,
        repetitions=int(_number(entry.get("repetitions")) or 1),
        iterations=int(_number(entry.get("iterations")) or 0),
        metrics=metrics if error is None else {},
        error=error,
        repetition_index=None if index is None else int(index),
    )


_RERUN = "the file is damaged or the workload is broken: fix it and re-run corio-bench"


def _check_values(path: Path, raw_name: str, metrics: dict[str, float]) -> None:
    """Refuses values no run that passed its check can have (see the module docstring)."""
    real = metrics.get(REAL_TIME_NS)
    if real is not None and real <= 0:
        raise _fail(path, f"benchmark {raw_name!r} passed its check with a real_time of "
                          f"{real:g} ns; a run takes time: {_RERUN}")
    for key, value in metrics.items():
        if schema.is_rate(key) and value <= 0:
            raise _fail(path, f"benchmark {raw_name!r} has {key} = {value:g}; a rate of a run "
                              f"that passed its check is above 0: {_RERUN}")
        if (key in schema.COUNTERS and key not in schema.SIGNED_COUNTERS and value < 0):
            raise _fail(path, f"benchmark {raw_name!r} has {key} = {value:g}; it is never "
                              f"negative: {_RERUN}")


def _check_duplicates(path: Path, rows: list[Row]) -> None:
    """Refuses a row that is already in the file: it would count as one more repetition."""
    seen: set[tuple[str, str, str | None, int | None]] = set()
    per_name: dict[str, int] = {}
    for row in rows:
        key = (row.raw_name, row.run_type, row.aggregate, row.repetition_index)
        if key in seen:
            which = (f"repetition_index {row.repetition_index}"
                     if row.repetition_index is not None else "no repetition fields")
            kind = f"{row.aggregate} aggregate" if row.aggregate else f"{row.run_type} row"
            raise _fail(path, f"benchmark {row.raw_name!r} has its {kind} ({which}) twice; a "
                              "duplicated row would count as a repetition: remove the copy "
                              "(results.json files are not to be concatenated) or re-run "
                              "corio-bench")
        seen.add(key)
        if row.run_type != "aggregate":
            per_name[row.raw_name] = per_name.get(row.raw_name, 0) + 1
            if per_name[row.raw_name] > row.repetitions:
                raise _fail(path, f"benchmark {row.raw_name!r} has more iteration rows than its "
                                  f"{row.repetitions} repetitions; a duplicated row would count "
                                  "as a repetition: remove the copy or re-run corio-bench")


def load_results(path: str | Path) -> Results:
    """Reads a results folder (or a results.json path) and validates it.

    Raises ResultsError (one line) for a missing, empty, truncated or non-JSON file, or one
    without a "benchmarks" list.
    """
    path = Path(path)
    file = path / RESULTS_FILE if path.is_dir() else path
    if not file.is_file():
        if path.is_dir():
            raise _fail(path, f"no {RESULTS_FILE} in this folder; pass a results folder "
                              "written by ./run_all.sh")
        raise _fail(path, "no such file or folder; pass a results folder written by "
                          "./run_all.sh")
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise _fail(file, f"cannot be read ({e.__class__.__name__}: {e})") from e
    if not text.strip():
        raise _fail(file, "empty; the run did not finish: re-run corio-bench or ./run_all.sh")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise _fail(file, f"not valid JSON ({e.msg}: line {e.lineno} column {e.colno}); "
                          "it is corrupt or truncated: re-run corio-bench or ./run_all.sh") from e
    if not isinstance(data, dict):
        raise _fail(file, "holds a JSON " + type(data).__name__ + ", not Google Benchmark's "
                          "object with \"context\" and \"benchmarks\"")
    benchmarks = data.get("benchmarks")
    if not isinstance(benchmarks, list):
        raise _fail(file, "has no \"benchmarks\" list; it is not Google Benchmark JSON output "
                          "(write it with corio-bench --out FILE.json)")
    context = data.get("context")
    if not isinstance(context, dict):
        context = {}
    rows: list[Row] = []
    ignored: list[str] = []
    for index, entry in enumerate(benchmarks):
        parsed = _parse_row(file, index, entry)
        if isinstance(parsed, str):
            ignored.append(parsed)
        else:
            rows.append(parsed)
    if not rows:
        if not ignored:
            raise _fail(file, "its \"benchmarks\" list is empty: corio-bench ran nothing (a "
                              "--filter that matches no benchmark?); re-run it")
        names = ", ".join(repr(n) for n in list(dict.fromkeys(ignored))[:3])
        raise _fail(file, f"holds no corio-bench benchmark, only {len(ignored)} rows whose names "
                          f"do not read group/workload/model ({names}"
                          f"{', ...' if len(set(ignored)) > 3 else ''}): pass a results "
                          "folder written by ./run_all.sh")
    _check_duplicates(file, rows)
    return Results(path=file, context=context, rows=rows, ignored=ignored)


def group_by(measurements: list[Measurement], *keys: str) -> dict[tuple[str | None, ...],
                                                                   list[Measurement]]:
    """Groups measurements by the values of the given parameter keys, in first-seen order."""
    groups: dict[tuple[str | None, ...], list[Measurement]] = defaultdict(list)
    for m in measurements:
        groups[tuple(m.name.param(k) for k in keys)].append(m)
    return dict(groups)
