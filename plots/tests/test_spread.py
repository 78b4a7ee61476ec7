"""Repetitions: median and min–max, the unstable mark, "within noise", tables, error bars and
the report's reading guide, on the 3-repetition fixture and on single-repetition runs."""

from __future__ import annotations

import math
import shutil
import unittest
from pathlib import Path
from typing import Any
from unittest import mock

from matplotlib.container import BarContainer, ErrorbarContainer

from corio_plots import (blocking_cdf, bytes_per_task, concurrency_limit, cpu_scaling, figure,
                         generic, runtime_cost, sleep_fanout, stats, throughput)
from corio_plots.cli import make_report
from corio_plots.load import load_results
from corio_plots.stats import Stat, fmt_stat, noise_groups, overlap, ranking_verdict
from corio_plots.units import fmt_ms
from tests.helpers import FIXTURES, PARTIAL, VALID, results_folder

QUICK = FIXTURES / "real_quick_runtime.json"  # a real quick-profile run: 1 repetition


class StatBasics(unittest.TestCase):
    def test_median_and_min_max(self) -> None:
        s = Stat.of([12.0, 10.0, 11.0])
        self.assertEqual((s.median, s.lo, s.hi, s.n), (11.0, 10.0, 12.0, 3))
        self.assertAlmostEqual(s.relative_spread, 2 / 11)

    def test_unstable_above_ten_percent_of_the_median(self) -> None:
        self.assertEqual(stats.UNSTABLE_SPREAD, 0.10)
        self.assertFalse(Stat.of([95.0, 100.0, 105.0]).unstable)  # exactly 10%
        self.assertTrue(Stat.of([94.0, 100.0, 105.0]).unstable)
        self.assertFalse(Stat.single(100.0).unstable)  # no spread to judge
        self.assertTrue(Stat.of([0.0, 0.0, 1.0]).unstable)  # around 0: inf
        self.assertFalse(Stat.of([0.0, 0.0, 0.0]).unstable)

    def test_map_keeps_lo_below_hi(self) -> None:
        ips = Stat.of([1e9 / 30, 1e9 / 31, 1e9 / 32])
        ns = ips.map(lambda v: 1e9 / v)
        self.assertAlmostEqual(ns.median, 31.0)
        self.assertAlmostEqual(ns.lo, 30.0)
        self.assertAlmostEqual(ns.hi, 32.0)

    def test_overlap_and_noise_groups(self) -> None:
        a, b, c = Stat.of([1, 2, 3]), Stat.of([2.5, 3.5, 4]), Stat.of([3.8, 5, 6])
        far = Stat.of([10, 11, 12])
        self.assertTrue(overlap(a, b))
        self.assertFalse(overlap(a, c))
        # a~b and b~c chain into one group; far stands apart.
        self.assertEqual(noise_groups([("a", a), ("b", b), ("c", c), ("far", far)]),
                         [["a", "b", "c"]])
        self.assertEqual(noise_groups([("a", a), ("far", far)]), [])

    def test_ranking_verdicts(self) -> None:
        a, far = Stat.of([1, 2, 3]), Stat.of([10, 11, 12])
        self.assertIn("holds across repetitions", ranking_verdict([("a", a), ("far", far)]))
        self.assertIn("within noise, not ranked",
                      ranking_verdict([("a", a), ("b", Stat.of([2.5, 3, 4]))]))
        self.assertIn("single sample",
                      ranking_verdict([("a", a), ("one", Stat.single(20.0))]))
        self.assertEqual(ranking_verdict([("a", a)]), "")

    def test_cells(self) -> None:
        self.assertEqual(fmt_stat(Stat.of([11.8, 12.0, 12.2]), fmt_ms), "12 ms (11.8–12.2 ms)")
        self.assertEqual(fmt_stat(Stat.of([10.0, 12.0, 15.0]), fmt_ms),
                         "12 ms (10–15 ms, unstable)")
        self.assertEqual(fmt_stat(Stat.of([0.9, 1.0, 1.1]), fmt_ms),
                         "1 ms (900 µs–1.1 ms, unstable)")
        self.assertEqual(fmt_stat(Stat.single(12.0), fmt_ms), "12 ms")

    def test_error_bars(self) -> None:
        self.assertEqual(stats.errorbar([Stat.of([1, 2, 4]), None]), [[1.0, 0.0], [2.0, 0.0]])
        self.assertIsNone(stats.errorbar([Stat.single(3.0)]))


class Tables(unittest.TestCase):
    results = load_results(VALID)

    def test_throughput_table_shows_median_and_min_max(self) -> None:
        data = throughput.compute(self.results, "io/tcp_echo")
        assert data is not None
        md = throughput.table(data).to_markdown()
        self.assertIn("| corio | conns:64 size:64 | 95,000 req/s (93,137–96,939 req/s) |", md)

    def test_unstable_row_is_marked(self) -> None:
        data = sleep_fanout.compute(self.results)
        assert data is not None
        md = sleep_fanout.table(data).to_markdown()
        self.assertIn("| asio | 100,000 | 10 ms | 40 ms (32–52 ms, unstable) |", md)
        self.assertIn("| corio | 100,000 | 10 ms | 12 ms (11.8–12.2 ms) |", md)

    def test_every_table_of_the_fixture_has_ranges(self) -> None:
        tables = [sleep_fanout.table(sleep_fanout.compute(self.results)),  # type: ignore[arg-type]
                  cpu_scaling.table(cpu_scaling.compute(self.results)),  # type: ignore[arg-type]
                  concurrency_limit.table(
                      concurrency_limit.compute(self.results)),  # type: ignore[arg-type]
                  blocking_cdf.table(blocking_cdf.compute(self.results)),  # type: ignore[arg-type]
                  generic.table(self.results, "io/pipeline")]
        for t in tables:
            assert t is not None
            with self.subTest(headers=t.headers):
                self.assertIn("–", t.rows[0][t.headers.index(
                    next(h for h in t.headers if h in ("wall time", "time", "requests/s",
                                                        "p99", "real time")))])

    def test_single_repetition_cells_are_plain_values(self) -> None:
        partial = load_results(PARTIAL)
        t = generic.table(partial, "runtime/switch")
        assert t is not None
        self.assertNotIn("(", t.rows[0][2])


def _captured_figures(draw: Any, *args: Any) -> list[Any]:
    """The figures a draw() call saves, instead of writing them."""
    figs: list[Any] = []

    def fake_save(fig: Any, out_dir: Path, stem: str, *rest: Any, **kw: Any) -> list[Path]:
        figs.append(fig)
        return []

    with mock.patch.object(figure, "save", fake_save):
        draw(*args, Path("/nonexistent"))
    return figs


def _has_error_bars(fig: Any) -> bool:
    for ax in fig.axes:
        for c in ax.containers:
            if isinstance(c, ErrorbarContainer) and (c.has_yerr or c.has_xerr):
                return True
            if isinstance(c, BarContainer) and c.errorbar is not None:
                return True
    return False


class Charts(unittest.TestCase):
    results = load_results(VALID)

    def test_every_chart_draws_error_bars_on_repeated_data(self) -> None:
        charts = [
            (sleep_fanout.draw, sleep_fanout.compute(self.results)),
            (cpu_scaling.draw, cpu_scaling.compute(self.results)),
            (throughput.draw, throughput.compute(self.results, "io/tcp_echo")),
            (throughput.draw, throughput.compute(self.results, "io/http_plaintext")),
            (blocking_cdf.draw, blocking_cdf.compute(self.results)),
            (concurrency_limit.draw, concurrency_limit.compute(self.results)),
            (runtime_cost.draw, runtime_cost.compute(self.results)),
            (bytes_per_task.draw, bytes_per_task.compute(self.results)),
        ]
        for draw, data in charts:
            with self.subTest(chart=draw.__module__):
                (fig,) = _captured_figures(draw, data)
                self.assertTrue(_has_error_bars(fig))
                title = " ".join(t.get_text() for t in fig.texts + [ax.title for ax in fig.axes])
                self.assertIn("error bars: min–max over 3 repetitions", title)

    def test_concurrency_limit_draws_error_bars_on_p99_too(self) -> None:
        (fig,) = _captured_figures(concurrency_limit.draw,
                                   concurrency_limit.compute(self.results))
        p99_axes = fig.axes[1]
        self.assertTrue(any(isinstance(c, ErrorbarContainer) and c.has_yerr
                            for c in p99_axes.containers))

    def test_error_bars_span_min_to_max(self) -> None:
        data = throughput.compute(self.results, "io/tcp_echo")
        assert data is not None
        (fig,) = _captured_figures(throughput.draw, data)
        # A dot per model at (p99, requests/s), with error bars both ways.
        corio = next(c for c in fig.axes[0].containers
                     if isinstance(c, ErrorbarContainer) and c.get_label() == "corio")
        assert corio.has_xerr and corio.has_yerr
        y_bars = [lc for lc in corio.lines[2]
                  if lc.get_segments()[0][0, 0] == lc.get_segments()[0][1, 0]]
        (low, high) = y_bars[0].get_segments()[0][:, 1]
        self.assertTrue(math.isclose(low, 95000 / 1.02) and math.isclose(high, 95000 / 0.98))

    def test_single_samples_draw_no_error_bars_and_say_so(self) -> None:
        data = runtime_cost.compute(load_results(QUICK))
        assert data is not None
        (fig,) = _captured_figures(runtime_cost.draw, data)
        self.assertFalse(_has_error_bars(fig))
        self.assertIn("single samples: no error bars", " ".join(t.get_text() for t in fig.texts))


class ReadingGuide(unittest.TestCase):
    def folder(self, fixture: Path) -> Path:
        folder = results_folder(fixture)
        self.addCleanup(shutil.rmtree, folder)
        return folder

    def test_repeated_run_explains_median_spread_and_noise(self) -> None:
        folder = self.folder(VALID)
        make_report(folder)
        text = (folder / "REPORT.md").read_text(encoding="utf-8")
        self.assertIn("## Reading the figures", text)
        self.assertIn("the min–max of the repetitions", text)
        self.assertIn("marked unstable", text)
        self.assertIn("1 measurement of this run is unstable by real time (max - min above 10% "
                      "of the median): `io/sleep_fanout/asio/tasks:100000/delay_ms:10`.", text)
        self.assertIn("within noise, not ranked (min–max intervals overlap): libuv ≈ corio", text)
        self.assertIn("40 ms (32–52 ms, unstable)", text)

    def test_single_repetition_run_says_so_once_at_the_top(self) -> None:
        folder = self.folder(QUICK)
        make_report(folder)
        text = (folder / "REPORT.md").read_text(encoding="utf-8")
        guide = text.split("## Reading the figures")[1].split("## Findings")[0]
        self.assertIn("Every figure is a single sample (one repetition)", guide)
        self.assertIn("no ranking can be checked across repetitions", guide)
        self.assertEqual(text.count("Every figure is a single sample"), 1)
        findings = text.split("## Findings")[1].split("\n## ")[0]
        for line in findings.splitlines():
            if line.startswith("  - spawn+join") or line.startswith("  - switch"):
                self.assertIn("single sample", line)


if __name__ == "__main__":
    unittest.main()
