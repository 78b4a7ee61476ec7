"""Regression gate: exits 1 when a benchmark's real time got slower by more than PCT percent.

    compare_gate.py OLD NEW --fail-over 10      (folders holding results.json, or the files)
    compare_gate.py OLD NEW                     (only checks that both load and overlap)

Benchmarks are matched by name without Google Benchmark's suffixes; the real time compared is
each one's central value (the mean aggregate, else the mean of its repetitions). Benchmarks in
only one of the runs, and runs that failed their check, are listed but never fail the gate:
a filter or a new workload is not a regression. Google Benchmark's compare.py prints the full
table with its U test; this only decides the exit status.

Exit status: 0 nothing slower than PCT, 1 at least one benchmark was, 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from corio_plots.load import REAL_TIME_NS, Results, ResultsError, load_results
from corio_plots.units import fmt_duration_ns


@dataclass(frozen=True)
class Change:
    name: str
    old_ns: float
    new_ns: float

    @property
    def percent(self) -> float:
        """How much slower, in percent (negative: faster)."""
        return (self.new_ns - self.old_ns) / self.old_ns * 100.0


@dataclass
class Comparison:
    changes: list[Change]
    only_old: list[str]
    only_new: list[str]
    failed: list[str]

    def slower_than(self, percent: float) -> list[Change]:
        return sorted((c for c in self.changes if c.percent > percent),
                      key=lambda c: -c.percent)


def _times(results: Results) -> tuple[dict[str, float], list[str]]:
    times: dict[str, float] = {}
    failed: list[str] = []
    for m in results.measurements():
        if m.error is not None:
            failed.append(m.name.base)
            continue
        value = m.value(REAL_TIME_NS)
        if value is not None and value > 0:
            times[m.name.base] = value
    return times, failed


def compare(old: Results, new: Results) -> Comparison:
    old_t, old_failed = _times(old)
    new_t, new_failed = _times(new)
    changes = [Change(name, old_t[name], new_t[name]) for name in old_t if name in new_t]
    failed = sorted(set(old_failed) | set(new_failed))
    return Comparison(
        changes=changes,
        only_old=[n for n in old_t if n not in new_t and n not in failed],
        only_new=[n for n in new_t if n not in old_t and n not in failed],
        failed=failed)


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of percent (e.g. 10)")
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: the percentage must be 0 or more")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="compare_gate.py",
        description="Exit 1 when any benchmark's real time got slower by more than PCT%%.")
    parser.add_argument("old", type=Path, help="baseline results folder (or results.json)")
    parser.add_argument("new", type=Path, help="contender results folder (or results.json)")
    parser.add_argument("--fail-over", type=_percent, metavar="PCT",
                        help="fail when a real time grew by more than PCT percent; without it "
                             "only check that both runs load and share benchmarks")
    args = parser.parse_args(argv)
    try:
        old, new = load_results(args.old), load_results(args.new)
    except ResultsError as e:
        print(f"compare_gate: {e}", file=sys.stderr)
        return 2
    result = compare(old, new)
    if not result.changes:
        print("compare_gate: the two runs have no benchmark in common; nothing to compare",
              file=sys.stderr)
        return 2
    for name in result.failed:
        print(f"compare_gate: skipped {name}: it failed its check in one of the runs")
    if result.only_old or result.only_new:
        print(f"compare_gate: {len(result.only_old)} benchmarks only in OLD, "
              f"{len(result.only_new)} only in NEW (not compared)")
    if args.fail_over is None:
        print(f"compare_gate: {len(result.changes)} benchmarks in both runs")
        return 0
    slower = result.slower_than(args.fail_over)
    limit = f"{args.fail_over:g}%"
    if slower:
        print(f"compare_gate: {len(slower)} of {len(result.changes)} benchmarks got slower by "
              f"more than {limit}:")
        for c in slower:
            print(f"  {c.name}: {fmt_duration_ns(c.old_ns)} -> {fmt_duration_ns(c.new_ns)} "
                  f"({c.percent:+.1f}%)")
        return 1
    worst = max(result.changes, key=lambda c: c.percent)
    print(f"compare_gate: no benchmark got slower by more than {limit} "
          f"({len(result.changes)} compared; the largest change is {worst.percent:+.1f}%, "
          f"{worst.name})")
    return 0
