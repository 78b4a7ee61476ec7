#!/usr/bin/python3
"""bench/instructions.py against a real corio-bench: the count is per operation and repeatable,
the gate fails on a figure that grew and passes on one that did not, bad input is one line.

Usage: instructions_test.py CORIO_BENCH   (exit 77, skipped, without valgrind)
"""
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = HERE.parent / "instructions.py"
sys.path.insert(0, str(HERE.parent))
import instructions  # noqa: E402  (the module under test, beside this folder)

BENCH = ""
# One small, single-threaded row: 100,000 switches, a few seconds under callgrind.
ROW = r"^runtime/switch/corio/via:yield/"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "--bench", BENCH, *args],
                          capture_output=True, text=True, check=False)


class CountsInstructions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="instructions-test-"))
        cls.first = cls.tmp / "first.json"
        cls.second = cls.tmp / "second.json"
        cls.first_run = run("--filter", ROW, "--out", str(cls.first))
        cls.second_run = run("--filter", ROW, "--out", str(cls.second), "--baseline",
                             str(cls.first))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def figure(self, path: Path) -> dict:
        (figure,) = json.loads(path.read_text())["benchmarks"].values()
        return figure

    def test_counts_per_operation(self):
        self.assertEqual(self.first_run.returncode, 0, self.first_run.stderr)
        figure = self.figure(self.first)
        # 100,000 switches per call; only the first call is counted, however many there were.
        self.assertEqual(figure["calls"], 1)
        self.assertEqual(figure["operations"], 100000)
        # A switch is tens of instructions, not one and not thousands: the count is per
        # operation and holds the model's work only (the process start-up is millions).
        self.assertGreater(figure["instructions_per_op"], 10)
        self.assertLess(figure["instructions_per_op"], 1000)

    def test_repeatable_and_the_gate_passes_an_unchanged_figure(self):
        self.assertEqual(self.second_run.returncode, 0, self.second_run.stderr)
        first = self.figure(self.first)["instructions_per_op"]
        second = self.figure(self.second)["instructions_per_op"]
        self.assertAlmostEqual(first, second, delta=first * 0.001)

    def test_the_gate_fails_a_figure_that_grew(self):
        baseline = json.loads(self.first.read_text())
        for figure in baseline["benchmarks"].values():
            figure["instructions_per_op"] /= 1.5  # as if the code had been a third cheaper
        doctored = self.tmp / "doctored.json"
        doctored.write_text(json.dumps(baseline))
        gated = run("--filter", ROW, "--baseline", str(doctored))
        self.assertEqual(gated.returncode, 1, gated.stderr)
        self.assertIn("regression", gated.stderr)
        # The gated run is a third measurement: it repeats the first within 0.1%, so
        # the growth reads 50% give or take a tenth of a point (49.9% has been seen).
        growth = re.search(r"\(\+(\d+\.\d)%, over 2%\)", gated.stderr)
        self.assertIsNotNone(growth, gated.stderr)
        self.assertAlmostEqual(float(growth.group(1)), 50.0, delta=0.5)


class RefusesBadInput(unittest.TestCase):
    def assert_refused(self, result: subprocess.CompletedProcess):
        self.assertEqual(result.returncode, 2, result.stderr)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertTrue(lines[0].startswith("run_all.sh: instructions: "), lines[0])

    def test_unknown_option(self):
        self.assert_refused(run("--frobnicate"))

    def test_negative_threshold(self):
        self.assert_refused(run("--fail-over", "-1"))

    def test_filter_matching_nothing(self):
        self.assert_refused(run("--filter", "no-such-benchmark-anywhere"))

    def test_rows_without_a_model_function(self):
        self.assert_refused(run("--filter", r"^io/sleep_fanout/corio/tasks:1/"))

    def test_existing_out_is_not_overwritten(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as existing:
            existing.write("keep me")
        try:
            self.assert_refused(run("--filter", ROW, "--out", existing.name))
            self.assertEqual(Path(existing.name).read_text(), "keep me")
        finally:
            Path(existing.name).unlink()

    def test_corrupt_baseline(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as corrupt:
            corrupt.write("{not json")
        try:
            with self.assertRaises(instructions.BadInput):
                instructions.compare({}, Path(corrupt.name), 2.0)
        finally:
            Path(corrupt.name).unlink()


class CallgrindTotals(unittest.TestCase):
    def test_calls_summed_over_call_sites_and_compressed_names(self):
        profile = "\n".join([
            "fn=(1) benchmark::State::run",
            "cfn=(2) workloads::runtime::spawn::corio(workloads::runtime::spawn::Params const&)",
            "calls=2 0",
            "0 600",
            "cfn=(3) workloads::runtime::spawn::asio(workloads::runtime::spawn::Params const&)",
            "calls=5 0",
            "0 999",
            "fn=(4) other_caller",
            "cfn=(2)",  # the same function, named by its number only
            "calls=1 0",
            "0 300",
            "totals: 900",
        ])
        self.assertEqual(
            instructions.callgrind_totals(profile, "workloads::runtime::spawn::corio(*"), (900, 3))

    def test_nothing_counted_when_the_function_is_absent(self):
        self.assertEqual(instructions.callgrind_totals("totals: 0", "x::y(*"), (0, 0))


class Compare(unittest.TestCase):
    def test_only_growth_beyond_the_threshold_is_a_regression(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as baseline:
            json.dump({"benchmarks": {"a": {"instructions_per_op": 100.0},
                                      "b": {"instructions_per_op": 100.0},
                                      "c": {"instructions_per_op": 100.0}}}, baseline)
        try:
            figures = {"a": {"instructions_per_op": 101.9},   # within 2%
                       "b": {"instructions_per_op": 102.1},   # beyond
                       "c": {"instructions_per_op": 50.0},    # better
                       "d": {"instructions_per_op": 500.0}}   # new row: nothing to compare
            lines = instructions.compare(figures, Path(baseline.name), 2.0)
        finally:
            Path(baseline.name).unlink()
        self.assertEqual(len(lines), 1)
        self.assertTrue(lines[0].startswith("b: 100.0 -> 102.1"), lines[0])


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    BENCH = sys.argv.pop()
    if shutil.which("valgrind") is None:
        print("valgrind not installed: skipped", file=sys.stderr)
        sys.exit(77)
    unittest.main()
