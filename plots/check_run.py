#!/usr/bin/env python3
"""check_run: verifies a finished results folder, for CI.

    /usr/bin/python3 plots/check_run.py RESULTS_DIR --expected NAMES_FILE

Checks that results.json parses and holds every benchmark named in NAMES_FILE (one name per
line, as `corio-bench --list` prints them) with no failed run; that REPORT.md is not empty;
and that every chart the data allows (each chart module's compute() gives data) exists as
PNG and SVG, as does every chart REPORT.md links to. Exit 0 when all hold, 1 with one line
per problem otherwise, 2 when the folder or the names file cannot be read.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from corio_plots import (blocking_cdf, bytes_per_task, concurrency_limit, cpu_scaling,
                         runtime_cost, sleep_fanout, throughput)
from corio_plots.load import ResultsError, load_results

_REPEATS = re.compile(r"/repeats:\d+")


def _base(name: str) -> str:
    return _REPEATS.sub("", name)


def expected_charts(results_dir: Path) -> list[str]:
    """Stems of the charts the results hold data for."""
    results = load_results(results_dir)
    stems = []
    for module in (sleep_fanout, cpu_scaling, concurrency_limit, blocking_cdf, runtime_cost,
                   bytes_per_task):
        if module.compute(results) is not None:
            stems.append(module.STEM)
    for key, stem in throughput.STEMS.items():
        if throughput.compute(results, key) is not None:
            stems.append(stem)
    return stems


def problems(results_dir: Path, expected_names: list[str]) -> list[str]:
    found: list[str] = []
    data = json.loads((results_dir / "results.json").read_text(encoding="utf-8"))
    ran = {}
    for entry in data.get("benchmarks", []):
        if entry.get("run_type") == "iteration":
            ran.setdefault(_base(entry.get("run_name", entry["name"])), []).append(entry)
    for name in expected_names:
        entries = ran.get(_base(name))
        if not entries:
            found.append(f"missing from results.json: {name}")
        elif any(e.get("error_occurred") for e in entries):
            message = next(e.get("error_message", "") for e in entries if e.get("error_occurred"))
            found.append(f"failed: {name}: {message}")
    report = results_dir / "REPORT.md"
    if not report.is_file() or not report.read_text(encoding="utf-8").strip():
        found.append("REPORT.md is missing or empty")
        linked: list[str] = []
    else:
        linked = re.findall(r"\]\(charts/([^)]+)\)", report.read_text(encoding="utf-8"))
    charts = results_dir / "charts"
    for stem in expected_charts(results_dir):
        for suffix in (".png", ".svg"):
            if not (charts / f"{stem}{suffix}").is_file():
                found.append(f"chart missing: charts/{stem}{suffix}")
    for link in linked:
        if not (charts / link).is_file():
            found.append(f"REPORT.md links to a missing chart: charts/{link}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results_dir", type=Path)
    parser.add_argument("--expected", type=Path, required=True,
                        help="file with one expected benchmark name per line")
    args = parser.parse_args(argv)
    try:
        names = [line.strip() for line in args.expected.read_text(encoding="utf-8").splitlines()
                 if line.strip()]
        found = problems(args.results_dir, names)
    except (OSError, ValueError, ResultsError) as e:
        print(f"check_run.py: cannot check {args.results_dir}: {e}", file=sys.stderr)
        return 2
    for line in found:
        print(f"check_run.py: {line}", file=sys.stderr)
    if found:
        return 1
    print(f"check_run.py: {args.results_dir}: {len(names)} benchmarks present and passing, "
          f"report and charts complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
