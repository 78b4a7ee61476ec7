"""compare_gate: headline figures per workload, the U test, the marks and the exit status.

Most runs here are built in the test by make_run() (Google Benchmark 1.7.1's layout: one
iteration row per repetition, then mean/median/stddev/cv aggregates), so each test states the
numbers it relies on.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import statistics
import tempfile
import unittest
from pathlib import Path

from corio_plots import compare_gate
from corio_plots.compare_gate import (ALPHA, DEFAULT_FAIL_OVER, compare, main, min_p,
                                      one_sided_p, testable)
from corio_plots.load import load_results
from tests.helpers import CORRUPT, PARTIAL, REGRESSED, VALID

TCP = "io/tcp_echo/corio/conns:64/size:64"
HTTP = "io/http_plaintext/asio/conns:64"
SPAWN = "runtime/spawn/corio/tasks:100000"
SLEEP = "io/sleep_fanout/corio/tasks:1000/delay_ms:10"
SLEEP_SMALL = "io/sleep_fanout/corio/tasks:10/delay_ms:10"
FIB = "cpu/cpu_scaling/corio/kernel:fib/workers:2"
TIMERS = "runtime/timers/corio/tasks:10000/sleep_ms:1000"
FANOUT = "io/http_fanout/corio/requests:1000/limit:50/delay_ms:10"
UNKNOWN = "io/new_workload/corio/n:5"

# A repetition's value is base * JITTER[i]: three distinct, plausible samples.
JITTER = (1.0, 0.99, 1.012)


def spread(base: float, reps: int) -> list[float]:
    return [base * JITTER[i % 3] * (1 + 0.001 * (i // 3)) for i in range(reps)]


def entries(name: str, values: dict[str, list[float]], suffix: str = "/min_time:0.500",
            error: str | None = None, aggregates_only: bool = False) -> list[dict]:
    """Google Benchmark rows of one benchmark: values["real_time"] in ms and the counters,
    one list entry per repetition."""
    full = f"{name}{suffix}/real_time"
    if error is not None:
        return [{"name": full, "run_name": full, "run_type": "iteration", "repetitions": 1,
                 "repetition_index": 0, "threads": 1, "error_occurred": True,
                 "error_message": error, "iterations": 1, "real_time": 0.0, "cpu_time": 0.0,
                 "time_unit": "ms"}]
    reps = len(values["real_time"])
    rows = []
    for i in range(reps):
        row = {"name": full, "run_name": full, "run_type": "iteration", "repetitions": reps,
               "repetition_index": i, "threads": 1, "iterations": 10,
               "real_time": values["real_time"][i], "cpu_time": values["real_time"][i] * 0.9,
               "time_unit": "ms"}
        row.update({k: v[i] for k, v in sorted(values.items()) if k != "real_time"})
        rows.append(row)
    if reps > 1:
        for agg, fn in (("mean", statistics.fmean), ("median", statistics.median),
                        ("stddev", statistics.stdev)):
            row = {"name": f"{full}_{agg}", "run_name": full, "run_type": "aggregate",
                   "repetitions": reps, "threads": 1, "aggregate_name": agg,
                   "aggregate_unit": "time", "iterations": reps}
            row["real_time"] = fn(values["real_time"])
            row["cpu_time"] = row["real_time"] * 0.9
            row["time_unit"] = "ms"
            row.update({k: fn(v) for k, v in sorted(values.items()) if k != "real_time"})
            rows.append(row)
    if aggregates_only:
        rows = [r for r in rows if r["run_type"] == "aggregate"]
    return rows


def base_values(reps: int = 3) -> dict[str, dict[str, list[float]]]:
    """One benchmark per kind of workload, each with its counters."""
    net = {"real_time": spread(2000.0, reps), "requests_per_second": spread(95000.0, reps),
           "latency_p99_us": spread(900.0, reps), "latency_p50_us": spread(420.0, reps),
           "server_rss_bytes": spread(9.0e6, reps), "errors": [0.0] * reps}
    return {
        TCP: net,
        HTTP: {k: list(v) for k, v in net.items()},
        SPAWN: {"real_time": spread(3.1, reps), "items_per_second": spread(3.2e7, reps)},
        SLEEP: {"real_time": spread(10.4, reps), "bytes_per_task": spread(230.0, reps),
                "overlap": spread(960.0, reps)},
        SLEEP_SMALL: {"real_time": spread(10.1, reps), "bytes_per_task": spread(392.0, reps)},
        FIB: {"real_time": spread(414.0, reps), "ctx_voluntary": spread(8.0, reps)},
        TIMERS: {"real_time": spread(1000.05, reps), "items_per_second": spread(9995.0, reps),
                 "bytes_per_task": spread(120.0, reps), "overshoot_ms": spread(0.05, reps)},
        FANOUT: {"real_time": spread(204.0, reps), "items_per_second": spread(4900.0, reps)},
        UNKNOWN: {"real_time": spread(5.0, reps)},
    }


class Runs(unittest.TestCase):
    """Writes runs into a temporary folder and runs the gate on them."""

    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="compare-gate-test-"))
        self.addCleanup(shutil.rmtree, self.tmp)
        self.count = 0

    def make_run(self, values: dict[str, dict[str, list[float]]], *,
                 errors: dict[str, str] | None = None, aggregates_only: bool = False) -> Path:
        self.count += 1
        folder = self.tmp / f"run{self.count}"
        folder.mkdir()
        rows = []
        for name, vals in values.items():
            rows += entries(name, vals, aggregates_only=aggregates_only)
        for name, message in (errors or {}).items():
            rows += entries(name, {}, error=message)
        doc = {"context": {"num_cpus": 2, "library_build_type": "debug"}, "benchmarks": rows}
        (folder / "results.json").write_text(json.dumps(doc, indent=1), encoding="utf-8")
        return folder

    def gate(self, *args: object) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main([str(a) for a in args])
        return status, out.getvalue(), err.getvalue()


_LINE = re.compile(r"^([~+\-!?]) (\S+)\s+(\S+)\s+.* -> .*\s([+-]\d+\.\d%)\s+p=(\S+)\s+(n=.*)$")


def table(out: str) -> dict[tuple[str, str], tuple[str, str, str, str]]:
    """(benchmark, figure) -> (mark, change, p, repetitions) of every compared line."""
    rows = {}
    for line in out.splitlines():
        m = _LINE.match(line)
        if m:
            mark, name, metric, change, p, reps = m.groups()
            rows[(name, metric)] = (mark, change, p, reps)
    return rows


def section(out: str, title_start: str) -> list[str]:
    """The indented lines under the section whose title starts with ``title_start``."""
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(title_start):
            body = []
            for follow in lines[i + 1:]:
                if not follow.startswith("  "):
                    break
                body.append(follow.strip())
            return body
    return []


def scaled(values: dict[str, dict[str, list[float]]], name: str, metric: str,
           factor: float) -> dict[str, dict[str, list[float]]]:
    copy = {n: {k: list(v) for k, v in vals.items()} for n, vals in values.items()}
    copy[name][metric] = [v * factor for v in copy[name][metric]]
    return copy


class SameRun(Runs):
    def test_a_run_against_itself_exits_0_with_every_line_unchanged(self) -> None:
        run = self.make_run(base_values())
        status, out, err = self.gate(run, run)
        self.assertEqual((status, err), (0, ""))
        rows = table(out)
        self.assertGreaterEqual(len(rows), 12)
        self.assertEqual({mark for mark, *_ in rows.values()}, {"~"})
        self.assertTrue(all(change == "+0.0%" for _, change, _, _ in rows.values()))
        self.assertTrue(all(reps == "n=3/3" for *_, reps in rows.values()))
        self.assertIn("compare_gate: OK: no significant regression worse than 10%", out)

    def test_a_copy_with_the_same_numbers_in_another_folder_is_the_same(self) -> None:
        status, out, _ = self.gate(self.make_run(base_values()), self.make_run(base_values()))
        self.assertEqual(status, 0)
        self.assertEqual({mark for mark, *_ in table(out).values()}, {"~"})

    def test_each_workload_is_compared_on_its_headline_figures(self) -> None:
        run = self.make_run(base_values())
        _, out, _ = self.gate(run, run)
        compared = set(table(out))
        self.assertEqual({m for n, m in compared if n == TCP},
                         {"requests_per_second", "latency_p99_us", "server_rss_bytes"})
        self.assertEqual({m for n, m in compared if n == SPAWN}, {"items_per_second"})
        self.assertEqual({m for n, m in compared if n == SLEEP},
                         {"real_time", "bytes_per_task"})
        # bytes_per_task of a few tasks is a page more or less: only from 1,000 tasks.
        self.assertEqual({m for n, m in compared if n == SLEEP_SMALL}, {"real_time"})
        self.assertEqual({m for n, m in compared if n == FIB}, {"real_time"})
        self.assertEqual({m for n, m in compared if n == TIMERS},
                         {"bytes_per_task", "overshoot_ms"})
        self.assertEqual({m for n, m in compared if n == FANOUT}, {"items_per_second"})
        self.assertEqual({m for n, m in compared if n == UNKNOWN}, {"real_time"})


class Regressions(Runs):
    def test_requests_per_second_halved_exits_1_and_names_the_row(self) -> None:
        old = base_values()
        status, out, _ = self.gate(self.make_run(old),
                                   self.make_run(scaled(old, TCP, "requests_per_second", 0.5)))
        self.assertEqual(status, 1)
        self.assertEqual(table(out)[(TCP, "requests_per_second")][:3], ("!", "-50.0%", "0.05"))
        others = {k: v[0] for k, v in table(out).items() if k != (TCP, "requests_per_second")}
        self.assertEqual(set(others.values()), {"~"})
        # The failing lines come last, after the verdict line.
        tail = out.rstrip().splitlines()
        self.assertTrue(tail[-2].startswith("compare_gate: FAIL: 1 significant regression "
                                            "worse than 10%"))
        self.assertTrue(tail[-1].startswith(f"  {TCP} requests_per_second: 95,000/s -> "
                                            "47,500/s (-50.0%, higher is better; p=0.05"))

    def test_a_failure_says_how_to_rerun_the_failing_rows(self) -> None:
        old = base_values()
        new = scaled(scaled(old, TCP, "requests_per_second", 0.5), TCP, "latency_p99_us", 3)
        _, out, _ = self.gate(self.make_run(old), self.make_run(new))
        self.assertIn("rerun them: ./run_all.sh --filter '^(io/tcp_echo/corio/conns:64/size:64)/'"
                      " --repetitions 5", out)
        self.assertIn("FAIL: 2 significant regressions", out)
        self.assertEqual(compare_gate.rerun_filter(["a/b.c/d:1", "x/y/z"]), r"^(a/b\.c/d:1|x/y/z)/")

    def test_the_output_says_what_chance_gives(self) -> None:
        run = self.make_run(base_values())
        _, out, _ = self.gate(run, run)
        self.assertIn("chance: at alpha 0.05 about 5% of the 15 tested figures (~1) are marked -",
                      out)
        self.assertNotIn("rerun them", out)

    def test_its_real_time_is_not_what_is_compared(self) -> None:
        # The old gate's blind spot: a network run's real time is its configured duration.
        old = base_values()
        new = scaled(scaled(old, TCP, "requests_per_second", 0.5), TCP, "latency_p99_us", 10)
        self.assertNotIn((TCP, "real_time"), table(self.gate(self.make_run(old),
                                                             self.make_run(new))[1]))

    def test_p99_ten_times_higher_exits_1(self) -> None:
        old = base_values()
        status, out, _ = self.gate(self.make_run(old),
                                   self.make_run(scaled(old, HTTP, "latency_p99_us", 10)))
        self.assertEqual(status, 1)
        self.assertEqual(table(out)[(HTTP, "latency_p99_us")][:2], ("!", "+900.0%"))
        self.assertIn(f"  {HTTP} latency_p99_us: 900 µs -> 9 ms (+900.0%, lower is better",
                      out)

    def test_more_bytes_per_task_and_a_longer_wall_time_fail(self) -> None:
        old = base_values()
        new = scaled(scaled(old, SLEEP, "bytes_per_task", 1.5), FIB, "real_time", 1.3)
        status, out, _ = self.gate(self.make_run(old), self.make_run(new))
        self.assertEqual(status, 1)
        rows = table(out)
        self.assertEqual(rows[(SLEEP, "bytes_per_task")][0], "!")
        self.assertEqual(rows[(FIB, "real_time")][0], "!")
        self.assertIn("FAIL: 2 significant regressions", out)

    def test_a_significant_change_within_the_threshold_is_reported_not_failed(self) -> None:
        old = base_values()
        new = scaled(old, SPAWN, "items_per_second", 0.93)  # 7% fewer, all 3 below all 3
        status, out, _ = self.gate(self.make_run(old), self.make_run(new))
        self.assertEqual(status, 0)
        self.assertEqual(table(out)[(SPAWN, "items_per_second")][:2], ("-", "-7.0%"))
        self.assertEqual(self.gate(self.make_run(old), self.make_run(new),
                                   "--fail-over", "5")[0], 1)
        self.assertEqual(self.gate(self.make_run(old), self.make_run(new),
                                   "--fail-over", "0")[0], 1)

    def test_a_large_change_that_overlaps_is_not_significant(self) -> None:
        old = base_values()
        new = scaled(old, SPAWN, "items_per_second", 1.0)
        # Old 3.2e7 x (0.99, 1.0, 1.012); new: one repetition slow, two as before.
        new[SPAWN]["items_per_second"] = [1.6e7, 3.21e7, 3.17e7]
        status, out, _ = self.gate(self.make_run(old), self.make_run(new))
        self.assertEqual(status, 0)
        self.assertEqual(table(out)[(SPAWN, "items_per_second")][0], "~")

    def test_a_faster_run_exits_0_marked_better(self) -> None:
        old = base_values()
        new = scaled(old, TCP, "requests_per_second", 1.5)
        new = scaled(new, TCP, "latency_p99_us", 0.5)
        new = scaled(new, SPAWN, "items_per_second", 2.0)
        new = scaled(new, FIB, "real_time", 0.6)
        status, out, _ = self.gate(self.make_run(old), self.make_run(new))
        self.assertEqual(status, 0)
        rows = table(out)
        for key in ((TCP, "requests_per_second"), (TCP, "latency_p99_us"),
                    (SPAWN, "items_per_second"), (FIB, "real_time")):
            self.assertEqual(rows[key][0], "+", key)
            self.assertEqual(rows[key][2], "0.05", key)
        self.assertIn("compare_gate: OK", out)

    def test_the_threshold_defaults_to_10_percent(self) -> None:
        self.assertEqual(DEFAULT_FAIL_OVER, 10.0)
        old = base_values()
        status, _, _ = self.gate(self.make_run(old),
                                 self.make_run(scaled(old, SPAWN, "items_per_second", 0.89)))
        self.assertEqual(status, 1)


class NothingDropped(Runs):
    def test_a_row_missing_from_new_is_reported(self) -> None:
        old = base_values()
        new = {k: v for k, v in old.items() if k != TCP}
        status, out, _ = self.gate(self.make_run(old), self.make_run(new))
        self.assertEqual(status, 0)
        self.assertEqual(section(out, "only in OLD, missing from NEW (1 benchmark"), [TCP])
        self.assertNotIn("only in NEW", out)
        self.assertEqual(self.gate(self.make_run(new), self.make_run(old))[0], 0)
        _, out, _ = self.gate(self.make_run(new), self.make_run(old))
        self.assertEqual(section(out, "only in NEW (1 benchmark"), [TCP])

    def test_a_zero_time_row_is_refused_by_name(self) -> None:
        # load.py refuses a run that passed its check in no time: bad input, naming the row.
        old = base_values()
        old[FIB]["real_time"] = [0.0, 0.0, 0.0]
        status, out, err = self.gate(self.make_run(old), self.make_run(base_values()))
        self.assertEqual((status, out), (2, ""))
        self.assertIn(FIB, err)
        self.assertEqual(len(err.strip().splitlines()), 1)

    def test_a_zero_figure_is_reported(self) -> None:
        old = base_values()
        old[SLEEP]["bytes_per_task"] = [0.0, 0.0, 0.0]
        old[TIMERS]["bytes_per_task"] = [-8.0, -8.0, -8.0]
        status, out, _ = self.gate(self.make_run(old), self.make_run(base_values()))
        self.assertEqual(status, 0)
        self.assertNotIn((SLEEP, "bytes_per_task"), table(out))
        self.assertEqual(section(out, "zero or missing values (2 figures"),
                         [f"{SLEEP} bytes_per_task: zero in OLD: no change can be computed",
                          f"{TIMERS} bytes_per_task: negative (-8) in OLD: no change can be "
                          "computed"])

    def test_a_figure_falling_to_zero_in_new_is_compared(self) -> None:
        old = base_values()
        status, out, _ = self.gate(self.make_run(old),
                                   self.make_run(scaled(old, SLEEP, "bytes_per_task", 0)))
        self.assertEqual(status, 0)
        self.assertEqual(table(out)[(SLEEP, "bytes_per_task")][:3], ("+", "-100.0%", "0.05"))
        self.assertIn("(1 figure with a new median of 0 or less left out of the means)", out)
        # Growing from 0 cannot be put in percent: listed.
        status, out, _ = self.gate(self.make_run(scaled(old, SLEEP, "bytes_per_task", 0)),
                                   self.make_run(old))
        self.assertIn(f"{SLEEP} bytes_per_task: zero in OLD: no change can be computed",
                      section(out, "zero or missing values"))

    def test_a_counter_missing_in_one_run_is_reported(self) -> None:
        old = base_values()
        new = scaled(old, TCP, "latency_p99_us", 1)
        del new[TCP]["latency_p99_us"]
        status, out, _ = self.gate(self.make_run(old), self.make_run(new))
        self.assertEqual(status, 0)
        self.assertIn(f"{TCP} latency_p99_us: in OLD only, missing from NEW",
                      section(out, "zero or missing values"))

    def test_a_headline_counter_neither_run_has_is_reported(self) -> None:
        old = base_values()
        del old[SPAWN]["items_per_second"]
        _, out, _ = self.gate(self.make_run(old), self.make_run(old))
        self.assertIn(f"{SPAWN} items_per_second: reported by neither run",
                      section(out, "zero or missing values"))

    def test_failed_rows_are_listed_not_compared(self) -> None:
        old = base_values()
        new = {k: v for k, v in old.items() if k != FIB}
        status, out, _ = self.gate(self.make_run(old),
                                   self.make_run(new, errors={FIB: "check failed: 1 != 2"}))
        self.assertEqual(status, 0)
        self.assertEqual(section(out, "failed their check in a run (1 benchmark"),
                         [f"{FIB}: failed in NEW: check failed: 1 != 2"])
        self.assertNotIn((FIB, "real_time"), table(out))


class Fallbacks(Runs):
    def test_a_newer_counter_is_used_when_both_runs_have_it(self) -> None:
        old = base_values()
        old[FANOUT]["requests_per_second"] = spread(4900.0, 3)
        old[TIMERS]["timer_lateness_p99_us"] = spread(250.0, 3)
        _, out, _ = self.gate(self.make_run(old), self.make_run(old))
        rows = table(out)
        self.assertIn((FANOUT, "requests_per_second"), rows)
        self.assertNotIn((FANOUT, "items_per_second"), rows)
        self.assertIn((TIMERS, "timer_lateness_p99_us"), rows)
        self.assertNotIn((TIMERS, "overshoot_ms"), rows)

    def test_the_older_counter_when_only_new_has_the_newer_one(self) -> None:
        old = base_values()
        new = scaled(old, FANOUT, "items_per_second", 1)
        new[FANOUT]["requests_per_second"] = spread(2000.0, 3)
        status, out, _ = self.gate(self.make_run(old), self.make_run(new))
        self.assertEqual(status, 0)
        self.assertEqual(table(out)[(FANOUT, "items_per_second")][0], "~")


class SingleRepetition(Runs):
    """One sample a side cannot be tested: shown, marked ? when worse than the threshold,
    warned about, never failed unless --strict."""

    def test_itself_exits_0_every_line_unchanged_and_not_testable(self) -> None:
        run = self.make_run(base_values(reps=1))
        status, out, _ = self.gate(run, run)
        self.assertEqual(status, 0)
        rows = table(out)
        self.assertEqual({mark for mark, *_ in rows.values()}, {"~"})
        self.assertEqual({reps for *_, reps in rows.values()}, {"n=1/1: not testable"})
        self.assertEqual({p for _, _, p, _ in rows.values()}, {"-"})

    def test_halved_requests_warn_and_exit_0_or_1_with_strict(self) -> None:
        old = base_values(reps=1)
        old_run = self.make_run(old)
        new_run = self.make_run(scaled(old, TCP, "requests_per_second", 0.5))
        status, out, _ = self.gate(old_run, new_run)
        self.assertEqual(status, 0)
        self.assertEqual(table(out)[(TCP, "requests_per_second")][:3], ("?", "-50.0%", "-"))
        warning = section(out, "warning: 1 change worse than 10% could not be tested")
        self.assertEqual(len(warning), 1)
        self.assertTrue(warning[0].startswith(f"{TCP} requests_per_second: 95,000/s -> "
                                              "47,500/s (-50.0%"))
        self.assertIn("1 ?", out.splitlines()[-1])

        status, out, _ = self.gate(old_run, new_run, "--strict")
        self.assertEqual(status, 1)
        self.assertEqual(table(out)[(TCP, "requests_per_second")][0], "!")
        self.assertIn(f"  {TCP} requests_per_second: 95,000/s -> 47,500/s", out)

    def test_a_small_untestable_change_is_unmarked(self) -> None:
        old = base_values(reps=1)
        new = scaled(old, TCP, "requests_per_second", 0.95)
        status, out, _ = self.gate(self.make_run(old), self.make_run(new), "--strict")
        self.assertEqual(status, 0)
        self.assertEqual(table(out)[(TCP, "requests_per_second")][:2], ("~", "-5.0%"))

    def test_one_old_sample_against_three_new_is_not_testable(self) -> None:
        status, out, _ = self.gate(
            self.make_run(base_values(reps=1)),
            self.make_run(scaled(base_values(reps=3), TCP, "requests_per_second", 0.5)))
        self.assertEqual(status, 0)
        self.assertEqual(table(out)[(TCP, "requests_per_second")],
                         ("?", "-50.0%", "-", "n=1/3: not testable"))

    def test_aggregates_alone_are_not_testable(self) -> None:
        old = base_values()
        new = scaled(old, TCP, "requests_per_second", 0.5)
        status, out, _ = self.gate(self.make_run(old, aggregates_only=True),
                                   self.make_run(new, aggregates_only=True))
        self.assertEqual(status, 0)
        self.assertEqual(table(out)[(TCP, "requests_per_second")][3],
                         "n=1/1: aggregates only, not testable")


class TheTest(unittest.TestCase):
    def test_testable_from_three_repetitions_a_side(self) -> None:
        self.assertAlmostEqual(min_p(3, 3), 0.05)
        self.assertTrue(testable(3, 3))
        self.assertTrue(testable(3, 5))
        self.assertFalse(testable(2, 2))
        self.assertFalse(testable(2, 4))  # 1/15
        self.assertFalse(testable(1, 9))
        self.assertTrue(testable(2, 5))  # 1/21
        self.assertEqual(ALPHA, 0.05)

    def test_p_values(self) -> None:
        from scipy.stats import mannwhitneyu

        # Complete separation of 3 and 3: 1/20 one-sided, in that direction only.
        self.assertAlmostEqual(one_sided_p([5, 6, 7], [1, 2, 3], greater=True), 0.05)
        self.assertAlmostEqual(one_sided_p([5, 6, 7], [1, 2, 3], greater=False), 1.0)
        # Without ties: scipy's exact test.
        new, old = [1.1, 2.5, 3.2, 0.4], [2.0, 4.1, 5.3, 3.3, 6.0]
        self.assertAlmostEqual(one_sided_p(new, old, greater=False),
                               mannwhitneyu(new, old, alternative="less",
                                            method="exact").pvalue)
        # Ties: the exact permutation p, 3 of the 20 splits (scipy's normal approximation
        # says 0.079).
        self.assertAlmostEqual(one_sided_p([1, 2, 2], [2, 3, 3], greater=False), 0.15)
        # Ties within each side only: still 1/20.
        self.assertAlmostEqual(one_sided_p([1, 1, 1], [2, 2, 2], greater=False), 0.05)
        # Nothing moved.
        self.assertEqual(one_sided_p([4, 4, 4], [4, 4, 4], greater=True), 1.0)
        # Large samples: the normal approximation, no enumeration.
        big_new = [float(i) for i in range(20)]
        big_old = [float(i) + 10 for i in range(20)]
        self.assertLess(one_sided_p(big_new, big_old, greater=False), 0.01)

    def test_geometric_mean_is_printed(self) -> None:
        runs = Runs()
        runs.setUp()
        try:
            old = base_values()
            _, out, _ = runs.gate(runs.make_run(old),
                                  runs.make_run(scaled(old, TCP, "requests_per_second", 0.5)))
        finally:
            runs.doCleanups()
        # requests_per_second: tcp halved, http unchanged: sqrt(0.5) = 0.707.
        self.assertRegex(out, r"requests_per_second\s+0\.707x  over\s+2 benchmarks "
                              r"\(higher is better\)")
        self.assertRegex(out, r"all figures, direction-normalised .*: 1\.047x over 15: "
                              r"\d\.\d% worse")


class Fixtures(Runs):
    """The shared fixtures: corio's spawn 30% slower (3 repetitions) in regressed.json."""

    def test_the_slower_spawn_fails_on_its_items_per_second(self) -> None:
        status, out, _ = self.gate(VALID, REGRESSED, "--fail-over", "10")
        self.assertEqual(status, 1)
        self.assertIn("  runtime/spawn/corio/tasks:100000 items_per_second: 32.3 M/s -> "
                      "24.8 M/s (-23.1%, higher is better; p=0.05, n=3/3)", out)
        self.assertEqual(self.gate(VALID, REGRESSED, "--fail-over", "24")[0], 0)
        self.assertEqual(self.gate(REGRESSED, VALID)[0], 0)

    def test_api(self) -> None:
        result = compare(load_results(VALID), load_results(REGRESSED))
        (regression,) = result.regressions()
        self.assertEqual((regression.name, regression.metric),
                         ("runtime/spawn/corio/tasks:100000", "items_per_second"))
        self.assertAlmostEqual(regression.change, 100 / 1.3 - 100)
        self.assertEqual([name for name, _ in result.failed],
                         ["runtime/sync/libuv/prim:semaphore/tasks:2/cap:1/ops:200000"])

    def test_benchmarks_in_one_run_only_are_listed_not_failed(self) -> None:
        status, out, _ = self.gate(PARTIAL, VALID)
        self.assertEqual(status, 0)
        self.assertIn("only in NEW (", out)


class BadInput(Runs):
    def assert_bad(self, *args: object) -> str:
        status, out, err = self.gate(*args)
        self.assertEqual(status, 2, err)
        self.assertEqual(out, "")
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertTrue(err.startswith("compare_gate: "), err)
        return err

    def test_bad_input_exits_2_with_one_line(self) -> None:
        run = self.make_run(base_values())
        self.assert_bad(VALID, CORRUPT)
        self.assert_bad(run, self.tmp / "missing")
        self.assert_bad(run, self.tmp)  # a folder without results.json
        self.assert_bad(run, run, "--fail-over", "ten")
        self.assert_bad(run, run, "--fail-over", "-1")
        self.assert_bad(run, run, "--fail-over", "nan")
        self.assert_bad(run, run, "--bogus")
        self.assert_bad(run)
        other = self.make_run({"io/other/corio/n:1": {"real_time": [1.0]}})
        self.assertIn("no benchmark in common", self.assert_bad(run, other))

    def test_check_only_prints_nothing(self) -> None:
        run = self.make_run(base_values())
        self.assertEqual(self.gate(run, run, "--check-only"), (0, "", ""))
        self.assert_bad(run, CORRUPT, "--check-only")

    def test_every_headline_metric_has_a_unit(self) -> None:
        for figures in compare_gate.HEADLINES.values():
            for fig in figures:
                for metric in fig.metrics:
                    self.assertNotEqual(compare_gate.fmt_value(metric, 1000.0), "1,000", metric)


if __name__ == "__main__":
    unittest.main()
