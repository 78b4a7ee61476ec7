"""compare_gate: which benchmarks got slower, and the exit status."""

import contextlib
import io
import unittest

from corio_plots.compare_gate import compare, main
from corio_plots.load import load_results
from tests.helpers import CORRUPT, PARTIAL, REGRESSED, VALID


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(args))
        except SystemExit as e:  # argparse
            status = int(e.code or 0)
    return status, out.getvalue(), err.getvalue()


class CompareGate(unittest.TestCase):
    def test_finds_the_slower_benchmark(self) -> None:
        result = compare(load_results(VALID), load_results(REGRESSED))
        (slower,) = result.slower_than(10)
        self.assertEqual(slower.name, "runtime/spawn/corio/tasks:100000")
        self.assertAlmostEqual(slower.percent, 30.0)
        self.assertEqual(result.slower_than(35), [])
        self.assertEqual(result.failed,
                         ["runtime/sync/libuv/prim:semaphore/tasks:2/cap:1/ops:200000"])

    def test_faster_is_not_a_regression(self) -> None:
        result = compare(load_results(REGRESSED), load_results(VALID))
        self.assertEqual(result.slower_than(0), [])

    def test_exit_1_over_the_threshold_0_under(self) -> None:
        status, out, _ = run(str(VALID), str(REGRESSED), "--fail-over", "10")
        self.assertEqual(status, 1)
        self.assertIn("runtime/spawn/corio/tasks:100000: 3.1 ms -> 4.03 ms (+30.0%)", out)
        self.assertEqual(run(str(VALID), str(REGRESSED), "--fail-over", "31")[0], 0)

    def test_benchmarks_in_one_run_only_are_listed_not_failed(self) -> None:
        status, out, _ = run(str(PARTIAL), str(VALID), "--fail-over", "5")
        self.assertEqual(status, 0)
        self.assertIn("only in NEW", out)

    def test_bad_input_exits_2(self) -> None:
        status, _, err = run(str(VALID), str(CORRUPT), "--fail-over", "10")
        self.assertEqual(status, 2)
        self.assertEqual(len(err.strip().splitlines()), 1)
        self.assertEqual(run(str(VALID), str(VALID), "--fail-over", "ten")[0], 2)
        self.assertEqual(run(str(VALID), str(VALID), "--fail-over", "-1")[0], 2)


if __name__ == "__main__":
    unittest.main()
