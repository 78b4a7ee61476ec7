"""A real corio-bench quick run (runtime group only, the workloads written so far):
fixtures/real_quick_runtime.json, captured with
`./run_all.sh --profile quick` (release preset) on a 2-core VM: its results.json."""

import shutil
import unittest

from corio_plots import bytes_per_task, runtime_cost
from corio_plots.cli import make_report
from corio_plots.load import load_results
from tests.helpers import FIXTURES, results_folder

REAL = FIXTURES / "real_quick_runtime.json"


class RealQuickRun(unittest.TestCase):
    results = load_results(REAL)

    def test_every_name_parses_and_google_benchmarks_segments_are_not_params(self) -> None:
        self.assertEqual(self.results.ignored, [])
        for m in self.results.measurements():
            keys = [k for k, _ in m.name.params]
            self.assertNotIn("min_time", keys, m.name.base)
            self.assertNotIn("iterations", keys, m.name.base)
        self.assertEqual(self.results.context["corio_profile"], "quick")

    def test_runtime_findings_name_every_model_that_ran(self) -> None:
        data = runtime_cost.compute(self.results)
        assert data is not None
        spawn = next(f for f in runtime_cost.findings(data) if f.startswith("spawn+join"))
        for model in ("corio", "asio", "libuv", "threads"):
            self.assertIn(f"{model} ", spawn)
        self.assertIn("threads", spawn.split("at tasks:1000")[0])
        self.assertTrue(any(f.startswith("timers ") for f in runtime_cost.findings(data)))

    def test_bytes_per_task_from_task_memory_and_timers(self) -> None:
        data = bytes_per_task.compute(self.results)
        assert data is not None
        self.assertEqual(data.sources(), ["runtime/task_memory", "runtime/timers"])

    def test_report_draws_the_runtime_charts(self) -> None:
        folder = results_folder(REAL)
        self.addCleanup(shutil.rmtree, folder)
        built = make_report(folder)
        self.assertEqual(sorted({p.stem for p in built.charts}), ["bytes_per_task",
                                                                  "runtime_cost"])
        text = (folder / "REPORT.md").read_text(encoding="utf-8")
        self.assertIn("Not in this run", text)
        self.assertIn("GNU 12.2.0", text)


if __name__ == "__main__":
    unittest.main()
