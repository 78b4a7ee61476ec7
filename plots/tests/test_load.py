"""load.load_results: validation, one-line errors, repetitions folded into Measurements."""

import json
import shutil
import tempfile
import unittest
from pathlib import Path

from corio_plots.load import REAL_TIME_NS, ResultsError, load_results
from tests.helpers import CORRUPT, FIXTURES, NO_BENCHMARKS, PARTIAL, VALID, results_folder


class LoadResults(unittest.TestCase):
    def write(self, text: str) -> Path:
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        path = folder / "results.json"
        path.write_text(text, encoding="utf-8")
        return path

    def assert_one_line_error(self, path: Path, *fragments: str) -> None:
        with self.assertRaises(ResultsError) as caught:
            load_results(path)
        message = str(caught.exception)
        self.assertNotIn("\n", message)
        for fragment in fragments:
            self.assertIn(fragment, message)

    def test_valid_fixture_loads_every_workload(self) -> None:
        results = load_results(VALID)
        self.assertEqual(results.num_cpus, 2)
        self.assertIn("io/sleep_fanout", results.workload_keys())
        self.assertIn("runtime/skynet", results.workload_keys())
        self.assertEqual(results.ignored, [])

    def test_a_folder_reads_its_results_json(self) -> None:
        folder = results_folder(PARTIAL)
        self.addCleanup(shutil.rmtree, folder)
        self.assertEqual(load_results(folder).workload_keys()[0], "runtime/spawn")

    def test_truncated_file_is_one_line_error(self) -> None:
        self.assert_one_line_error(CORRUPT, "not valid JSON", "truncated", "re-run")

    def test_missing_benchmarks_is_one_line_error(self) -> None:
        self.assert_one_line_error(NO_BENCHMARKS, '"benchmarks"', "corio-bench --out")

    def test_empty_file_is_one_line_error(self) -> None:
        self.assert_one_line_error(self.write("  \n"), "empty")

    def test_json_that_is_not_an_object_is_one_line_error(self) -> None:
        self.assert_one_line_error(self.write("[1, 2]"), "list")

    def test_missing_file_and_folder_are_one_line_errors(self) -> None:
        self.assert_one_line_error(FIXTURES / "nope.json", "no such file")
        self.assert_one_line_error(FIXTURES, "no results.json")

    def test_entry_without_time_is_one_line_error(self) -> None:
        doc = {"context": {}, "benchmarks": [{"name": "runtime/spawn/corio/tasks:1",
                                              "run_type": "iteration", "time_unit": "ns"}]}
        self.assert_one_line_error(self.write(json.dumps(doc)), "real_time")

    def test_foreign_names_are_ignored_not_fatal(self) -> None:
        doc = {"context": {}, "benchmarks": [
            {"name": "BM_Foo", "real_time": 1, "cpu_time": 1, "time_unit": "ns"},
            {"name": "runtime/spawn/corio/tasks:1", "real_time": 1, "cpu_time": 1,
             "time_unit": "ns"}]}
        self.assertEqual(load_results(self.write(json.dumps(doc))).ignored, ["BM_Foo"])

    def test_time_units_become_nanoseconds(self) -> None:
        results = load_results(VALID)
        m = next(m for m in results.measurements("runtime/skynet") if m.model == "corio")
        self.assertAlmostEqual(m.value(REAL_TIME_NS), 24e6)  # 24 ms in the file

    def test_aggregates_give_median_and_stddev(self) -> None:
        results = load_results(VALID)
        m = next(m for m in results.measurements("runtime/spawn") if m.model == "corio")
        self.assertEqual(m.repetitions, 3)
        self.assertAlmostEqual(m.real_time_ns, 3.1e6)  # median of 0.98, 1.0, 1.02 x 3.1 ms
        self.assertAlmostEqual(m.spread(REAL_TIME_NS), 0.02 * 3.1e6)
        self.assertEqual(sorted(m.aggregates), ["cv", "mean", "median", "stddev"])

    def test_spread_of_iteration_rows_without_aggregates(self) -> None:
        rows = [{"name": "io/tcp_echo/corio/conns:1/real_time", "run_name":
                 "io/tcp_echo/corio/conns:1/real_time", "run_type": "iteration",
                 "repetitions": 2, "repetition_index": i, "iterations": 1, "real_time": t,
                 "cpu_time": t, "time_unit": "ms", "requests_per_second": r}
                for i, (t, r) in enumerate([(1.0, 100.0), (3.0, 300.0)])]
        results = load_results(self.write(json.dumps({"context": {}, "benchmarks": rows})))
        (m,) = results.measurements("io/tcp_echo")
        self.assertAlmostEqual(m.value("requests_per_second"), 200.0)  # median of two: their mean
        self.assertAlmostEqual(m.spread("requests_per_second"), 141.42135623730951)
        self.assertAlmostEqual(m.real_time_ns, 2e6)

    def test_one_disturbed_repetition_does_not_move_the_value(self) -> None:
        rows = [{"name": "io/tcp_echo/corio/conns:1/real_time", "run_name":
                 "io/tcp_echo/corio/conns:1/real_time", "run_type": "iteration",
                 "repetitions": 3, "repetition_index": i, "iterations": 1, "real_time": t,
                 "cpu_time": t, "time_unit": "ms", "requests_per_second": r}
                for i, (t, r) in enumerate([(1.0, 100.0), (9.0, 20.0), (1.1, 110.0)])]
        results = load_results(self.write(json.dumps({"context": {}, "benchmarks": rows})))
        (m,) = results.measurements("io/tcp_echo")
        self.assertAlmostEqual(m.value("requests_per_second"), 100.0)  # the mean is 76.7
        self.assertAlmostEqual(m.real_time_ns, 1.1e6)

    def test_single_repetition_has_no_spread(self) -> None:
        m = load_results(VALID).measurements("runtime/switch")[0]
        self.assertIsNone(m.spread("items_per_second"))
        s = m.stat("items_per_second")
        assert s is not None
        self.assertEqual((s.n, s.lo, s.hi), (1, s.median, s.median))
        self.assertFalse(s.repeated)

    def test_stat_is_median_and_min_max_of_the_iteration_rows(self) -> None:
        m = next(m for m in load_results(VALID).measurements("io/tcp_echo")
                 if m.model == "corio")
        s = m.stat("requests_per_second")
        assert s is not None
        self.assertEqual(s.n, 3)
        self.assertAlmostEqual(s.median, 95000)
        self.assertAlmostEqual(s.lo, 95000 / 1.02)
        self.assertAlmostEqual(s.hi, 95000 / 0.98)
        self.assertFalse(s.unstable)

    def test_interleaved_rows_fold_into_their_benchmarks(self) -> None:
        # valid.json writes every benchmark's repetition 0, then 1, then 2, aggregates last.
        results = load_results(VALID)
        names = [r.raw_name for r in results.rows if r.run_type == "iteration"]
        self.assertNotEqual(names[0], names[1])
        m = next(m for m in results.measurements("io/sleep_fanout")
                 if m.model == "asio" and m.name.param("tasks") == "100000")
        self.assertEqual(sorted(r.repetition_index for r in m.iterations), [0, 1, 2])
        s = m.stat(REAL_TIME_NS)
        assert s is not None
        self.assertTrue(s.unstable)  # 32-52 ms around 40 ms

    def test_aggregates_alone_give_a_median_without_spread(self) -> None:
        rows = [{"name": "io/tcp_echo/corio/conns:1/real_time_median", "run_type": "aggregate",
                 "aggregate_name": "median", "repetitions": 3, "iterations": 3,
                 "real_time": 2.0, "cpu_time": 2.0, "time_unit": "ms",
                 "requests_per_second": 100.0}]
        (m,) = load_results(self.write(json.dumps({"context": {}, "benchmarks": rows}))
                            ).measurements()
        s = m.stat("requests_per_second")
        assert s is not None
        self.assertEqual((s.median, s.n), (100.0, 1))

    def test_failed_run_carries_its_message_and_no_time(self) -> None:
        results = load_results(VALID)
        (failed,) = results.failures()
        self.assertEqual(failed.name.base,
                         "runtime/sync/libuv/prim:semaphore/tasks:2/cap:1/ops:200000")
        self.assertIn("woke 999", failed.error or "")
        self.assertNotIn(failed, results.ok_measurements("runtime/sync"))

    def test_models_come_in_the_fixed_order(self) -> None:
        models = [m.model for m in load_results(VALID).measurements("io/tcp_echo")]
        self.assertEqual(models, ["corio", "threads", "asio", "asio_mt", "libuv"])


if __name__ == "__main__":
    unittest.main()
