"""Bad but parseable results: one line on stderr, exit 2, nothing replaced.

Each case runs make_report.py on a folder that already holds charts/ and REPORT.md from an
earlier report; afterwards every file in the folder must be byte-identical and no file added.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from typing import Any

from corio_plots.cli import main, make_report
from corio_plots.load import ResultsError, load_results
from tests.helpers import PLOTS, VALID

MAKE_REPORT = PLOTS / "make_report.py"
NAME = "io/tcp_echo/corio/conns:64/size:64/real_time"


def row(name: str = NAME, real_time: float = 2000.0, rep: int | None = 0, reps: int = 1,
        **counters: float) -> dict[str, Any]:
    """One Google Benchmark 1.7.1 iteration row (repetition fields left out when rep is None)."""
    entry: dict[str, Any] = {"name": name, "run_name": name, "run_type": "iteration"}
    if rep is not None:
        entry.update({"repetitions": reps, "repetition_index": rep})
    entry.update({"threads": 1, "iterations": 1, "real_time": real_time,
                  "cpu_time": real_time * 0.9, "time_unit": "ms"})
    entry.update(counters or {"requests_per_second": 95000.0})
    return entry


BAD: dict[str, tuple[list[dict[str, Any]], str]] = {
    "zero real time": ([row(real_time=0.0)], "real_time of 0 ns"),
    "negative real time": ([row(real_time=-5.0)], "real_time of -5e+06 ns"),
    "zero requests per second": ([row(requests_per_second=0.0)], "requests_per_second = 0"),
    "negative items per second": (
        [row("runtime/spawn/corio/tasks:1000/real_time", 1.0, items_per_second=-1e9)],
        "items_per_second = -1e+09"),
    "negative latency": ([row(requests_per_second=1e5, latency_p99_us=-3.0)],
                         "latency_p99_us = -3"),
    "empty benchmarks list": ([], "\"benchmarks\" list is empty"),
    "only foreign names": ([row("BM_Foo"), row("BM_Bar/8")], "holds no corio-bench benchmark"),
    "duplicated repetition": ([row(rep=0, reps=3), row(rep=1, reps=3), row(rep=1, reps=3),
                               row(rep=2, reps=3)], "repetition_index 1) twice"),
    "duplicated single-repetition row": ([row(rep=0), row(rep=0)],
                                         "repetition_index 0) twice"),
    "duplicated row without repetition fields": ([row(rep=None), row(rep=None)],
                                                 "no repetition fields) twice"),
    "more rows than repetitions": ([row(rep=0, reps=2), row(rep=1, reps=2),
                                    {**row(rep=None), "repetitions": 2}],
                                   "more iteration rows than its 2 repetitions"),
}


def tree(folder: Path) -> dict[str, str]:
    """Every file under folder (hidden ones too) and its SHA-256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class BadInput(unittest.TestCase):
    good: Path

    @classmethod
    def setUpClass(cls) -> None:
        # A folder with an earlier, good report: charts/ and REPORT.md that must survive.
        cls.good = Path(tempfile.mkdtemp(prefix="corio-plots-good-"))
        shutil.copy(VALID, cls.good / "results.json")
        make_report(cls.good)

    @classmethod
    def tearDownClass(cls) -> None:
        shutil.rmtree(cls.good)

    def setUp(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="corio-plots-bad-")) / "run"
        self.addCleanup(shutil.rmtree, self.folder.parent)
        shutil.copytree(self.good, self.folder)
        self.assertTrue((self.folder / "charts" / "sleep_fanout.png").is_file())
        self.assertTrue((self.folder / "REPORT.md").is_file())

    def write(self, benchmarks: list[dict[str, Any]]) -> dict[str, str]:
        doc = {"context": {"num_cpus": 2}, "benchmarks": copy.deepcopy(benchmarks)}
        (self.folder / "results.json").write_text(json.dumps(doc), encoding="utf-8")
        return tree(self.folder)

    def check(self, status: int, out: str, err: str, fragment: str,
              before: dict[str, str]) -> None:
        self.assertEqual(status, 2, err)
        self.assertEqual(out, "")
        lines = err.strip().splitlines()
        self.assertEqual(len(lines), 1, err)
        self.assertTrue(lines[0].startswith("make_report: "), lines[0])
        self.assertIn(fragment, lines[0])
        self.assertNotIn("Traceback", err)
        self.assertEqual(tree(self.folder), before)  # byte-identical, nothing added

    def test_each_bad_input_exits_2_and_replaces_nothing(self) -> None:
        for case, (benchmarks, fragment) in BAD.items():
            with self.subTest(case=case):
                before = self.write(benchmarks)
                out, err = io.StringIO(), io.StringIO()
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    status = main([str(self.folder)])
                self.check(status, out.getvalue(), err.getvalue(), fragment, before)

    def test_the_command_line_too(self) -> None:
        # Through the script, as run_all.sh calls it: no traceback, exit 2.
        for case in ("zero real time", "empty benchmarks list", "duplicated repetition"):
            with self.subTest(case=case):
                benchmarks, fragment = BAD[case]
                before = self.write(benchmarks)
                done = subprocess.run([sys.executable, str(MAKE_REPORT), str(self.folder)],
                                      capture_output=True, text=True, timeout=120, check=False)
                self.check(done.returncode, done.stdout, done.stderr, fragment, before)


class BadInputInLoad(unittest.TestCase):
    """The same refusals from load_results, for every caller (compare_gate included)."""

    def test_load_results_raises_one_line(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="corio-plots-bad-"))
        self.addCleanup(shutil.rmtree, folder)
        for case, (benchmarks, fragment) in BAD.items():
            with self.subTest(case=case):
                (folder / "results.json").write_text(
                    json.dumps({"context": {}, "benchmarks": benchmarks}), encoding="utf-8")
                with self.assertRaises(ResultsError) as caught:
                    load_results(folder)
                self.assertIn(fragment, str(caught.exception))
                self.assertNotIn("\n", str(caught.exception))

    def test_good_edge_cases_still_load(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="corio-plots-ok-"))
        self.addCleanup(shutil.rmtree, folder)
        benchmarks = [
            # Three repetitions, rows of two benchmarks interleaved.
            row(rep=0, reps=3), row("io/tcp_echo/asio/conns:64/size:64/real_time", rep=0, reps=3),
            row(rep=1, reps=3), row("io/tcp_echo/asio/conns:64/size:64/real_time", rep=1, reps=3),
            row(rep=2, reps=3), row("io/tcp_echo/asio/conns:64/size:64/real_time", rep=2, reps=3),
            # Growths may be 0 or negative; a failed run has a real time of 0.
            row("runtime/task_memory/corio/tasks:10/real_time", 1.0, items_per_second=1e4,
                bytes_per_task=-8.0, client_rss_bytes=0.0),
            {**row("runtime/sync/libuv/tasks:2/real_time", 0.0), "error_occurred": True,
             "error_message": "check failed"},
            # The aggregates' stddev of a constant counter is 0.
            {"name": NAME + "_stddev", "run_name": NAME, "run_type": "aggregate",
             "repetitions": 3, "threads": 1, "aggregate_name": "stddev", "iterations": 3,
             "real_time": 0.0, "cpu_time": 0.0, "time_unit": "ms", "requests_per_second": 0.0},
        ]
        (folder / "results.json").write_text(
            json.dumps({"context": {}, "benchmarks": benchmarks}), encoding="utf-8")
        results = load_results(folder)
        corio = next(m for m in results.measurements("io/tcp_echo") if m.model == "corio")
        self.assertEqual(corio.repetitions, 3)
        self.assertEqual(len(results.failures()), 1)


if __name__ == "__main__":
    unittest.main()
