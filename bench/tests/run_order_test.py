"""A memory figure comes out the same whether its benchmark runs alone or after a churn.

    run_order_test.py CORIO_BENCH [FLAG ...]     (FLAGs go to corio-bench: --in-process fails)

Runs runtime/task_memory/corio alone, then after runtime/timers/corio with a million sleeping
tasks (a ~230 MiB churn that leaves corio's frame pool and the heap full) in the same
corio-bench invocation, and compares task_memory's bytes_per_task and peak_rss_bytes. Run in
one process (--in-process), the second run's peak RSS held the churn's 190 MiB and its creation
time was 6x shorter (pooled frames); each run in its own process (the default), they match.
Exit status 0 when they match, 1 otherwise (with the figures).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHURN = "^runtime/timers/corio/tasks:1000000/"
MEASURED = "^runtime/task_memory/corio/"
MIN_CHURN_BYTES = 200 * 2**20  # the churn really happened: the timers run's own peak
TOLERANCE = 0.05  # relative; both figures were within 0.5% over repeated runs


def run(bench: list[str], pattern: str) -> dict[str, dict]:
    """Every iteration row of a full-profile run of `pattern`, by workload."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "results.json"
        subprocess.run([*bench, "--profile", "full", "--repetitions", "1", "--filter", pattern,
                        "--out", str(out)], check=True, stdout=subprocess.DEVNULL)
        rows = json.loads(out.read_text())["benchmarks"]
    return {"/".join(r["name"].split("/")[:2]): r for r in rows if r["run_type"] == "iteration"}


def close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(a, b)


def main() -> int:
    bench = sys.argv[1:]
    alone = run(bench, MEASURED)["runtime/task_memory"]
    both = run(bench, f"{CHURN}|{MEASURED}")
    churn, after = both["runtime/timers"], both["runtime/task_memory"]
    failures = []
    if churn["peak_rss_bytes"] < MIN_CHURN_BYTES:
        failures.append(f"the churn peaked at {churn['peak_rss_bytes'] / 2**20:.0f} MiB, "
                        f"expected >= {MIN_CHURN_BYTES / 2**20:.0f} MiB")
    for counter in ("bytes_per_task", "peak_rss_bytes"):
        if not close(alone[counter], after[counter]):
            failures.append(f"{counter}: {alone[counter]:.6g} alone, {after[counter]:.6g} after "
                            f"the churn (more than {TOLERANCE:.0%} apart)")
    for failure in failures:
        print(f"run_order_test: {failure}", file=sys.stderr)
    if not failures:
        print(f"run_order_test: task_memory/corio alone and after a "
              f"{churn['peak_rss_bytes'] / 2**20:.0f} MiB churn: bytes_per_task "
              f"{alone['bytes_per_task']:.1f} / {after['bytes_per_task']:.1f}, peak RSS "
              f"{alone['peak_rss_bytes'] / 2**20:.1f} / {after['peak_rss_bytes'] / 2**20:.1f} MiB")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
