"""The pure compute functions and the findings text, on the fixtures."""

import math
import unittest

from corio_plots import (blocking_cdf, bytes_per_task, colors, concurrency_limit, cpu_scaling,
                         runtime_cost, schema, sleep_fanout, throughput, units)
from corio_plots.load import load_results
from tests.helpers import PARTIAL, VALID


class Formulas(unittest.TestCase):
    def test_speedup_and_efficiency(self) -> None:
        self.assertAlmostEqual(cpu_scaling.speedup(800.0, 414.5), 1.9300361881785283)
        self.assertAlmostEqual(cpu_scaling.efficiency(1.93, 2) or 0.0, 0.965)
        self.assertIsNone(cpu_scaling.efficiency(1.93, None))
        few = cpu_scaling.Point("fib", "threads", 2, 100.0, 2.0, 1.0, None, None)
        many = cpu_scaling.Point("fib", "threads", 256, 354.0, 0.8, 0.4, None, None)
        self.assertAlmostEqual(cpu_scaling.per_extra_part_ms(few, many), 1.0)

    def test_littles_law(self) -> None:
        self.assertEqual(concurrency_limit.littles_law_rps(50, 100, 10), 5000.0)
        self.assertEqual(concurrency_limit.littles_law_rps(500, 100, 10), 10000.0)
        self.assertEqual(concurrency_limit.littles_law_rps(None, 100, 10), 10000.0)

    def test_ns_per_op(self) -> None:
        self.assertAlmostEqual(runtime_cost.ns_per_op(1e9 / 31), 31.0)

    def test_cdf_counter_names(self) -> None:
        self.assertEqual(schema.cdf_counter(1), "cdf_p1_us")
        self.assertEqual(schema.cdf_counter(99.9), "cdf_p99_9_us")
        self.assertEqual(len(schema.CDF_COUNTERS), 14)


class Units(unittest.TestCase):
    def test_durations(self) -> None:
        self.assertEqual(units.fmt_duration_ns(31), "31 ns")
        self.assertEqual(units.fmt_duration_ns(14000), "14 µs")
        self.assertEqual(units.fmt_ms(12.0), "12 ms")
        self.assertEqual(units.fmt_ms(1e6), "1,000 s")
        self.assertEqual(units.fmt_ms(52.8), "52.8 ms")
        self.assertEqual(units.fmt_us(900), "900 µs")

    def test_numbers_ratios_bytes_rates(self) -> None:
        self.assertEqual(units.fmt_count(100000), "100,000")
        self.assertEqual(units.fmt_ratio(410 / 31), "13x")
        self.assertEqual(units.fmt_ratio(3.87), "3.9x")
        self.assertEqual(units.fmt_speedup(1.9300), "1.93x")
        self.assertEqual(units.fmt_bytes(96), "96 B")
        self.assertEqual(units.fmt_bytes(10240), "10 KiB")
        self.assertEqual(units.fmt_rate(9800, units.REQ), "9,800 req/s")
        self.assertEqual(units.fmt_rate(2.44e6), "2.44 M/s")
        self.assertEqual(units.fmt_number(0.0456), "0.0456")
        self.assertEqual(units.fmt_number(float("nan")), "n/a")
        self.assertEqual(units.fmt_times(410 / 31), "13x")
        self.assertEqual(units.fmt_times(152 / 276), "1.8x less")
        self.assertEqual(units.fmt_times(152 / 157), "about the same")


class Colors(unittest.TestCase):
    def test_each_model_has_its_own_colour_and_keeps_it(self) -> None:
        seen = {colors.style(m).color for m in (*schema.MODELS, schema.NGINX)}
        self.assertEqual(len(seen), len(schema.MODELS) + 1)
        self.assertEqual(colors.style("corio"), colors.style("corio"))

    def test_wrk_rows_take_their_models_colour_hatched(self) -> None:
        wrk = colors.style("wrk_corio")
        self.assertEqual(wrk.color, colors.style("corio").color)
        self.assertTrue(wrk.hatch)

    def test_unknown_model_gets_a_stable_colour(self) -> None:
        self.assertEqual(colors.style("tokio").color, colors.style("tokio").color)


class Findings(unittest.TestCase):
    results = load_results(VALID)

    def test_sleep_fanout(self) -> None:
        data = sleep_fanout.compute(self.results)
        assert data is not None
        text = sleep_fanout.findings(data)
        self.assertIn("corio finished 100,000 sleeps of 10 ms in 12 ms; sequential would need "
                      "1,000 s (N·D), an overlap of 83,333 sleeps at once.", text)
        self.assertIn("threads ran up to N = 10,000 only (180 ms at D = 10 ms).", text)

    def test_cpu_scaling(self) -> None:
        data = cpu_scaling.compute(self.results)
        assert data is not None
        threads_w2 = next(p for p in data.points
                          if (p.kernel, p.model, p.workers) == ("fib", "threads", 2))
        self.assertAlmostEqual(threads_w2.speedup, 800 / 414.5)
        self.assertAlmostEqual(threads_w2.efficiency or 0.0, 800 / 414.5 / 2)
        text = " ".join(cpu_scaling.findings(data))
        self.assertIn("fib: at W = 2 (2 cores), corio_mt reached 1.94x over sequential (800 ms), "
                      "97% efficiency; threads 1.93x, processes 1.90x, corio 1.00x.", text)
        self.assertIn("beyond 2 cores nothing scales further", text)
        # fib carries cpu_time_ms in the fixture: both cores busy at W = 2, 0.98 x 2 x wall.
        self.assertAlmostEqual(cpu_scaling.cpu_ratio(data, threads_w2) or 0.0,
                               414.5 * 2 * 0.98 / 800)
        self.assertIn("fib: CPU time at W = 2 against the sequential run's (800 ms): "
                      "corio_mt 1.01x, threads 1.02x, processes 1.03x, corio 1.00x", text)
        self.assertNotIn("mandelbrot: CPU time", text)  # no counter, no claim

    def test_cpu_scaling_without_sequential_says_why(self) -> None:
        from corio_plots.load import Results
        rows = [r for r in self.results.rows if r.name.model != "sequential"]
        data = cpu_scaling.compute(Results(self.results.path, self.results.context, rows, []))
        assert data is not None
        self.assertTrue(data.empty)
        self.assertTrue(any("no sequential run" in n for n in data.notes))

    def test_runtime_cost(self) -> None:
        data = runtime_cost.compute(self.results)
        assert data is not None
        text = runtime_cost.findings(data)
        self.assertIn("spawn+join (tasks:100000): corio 31 ns, libuv 120 ns (3.9x), asio 410 ns "
                      "(13x), threads 14 µs at tasks:1000 (452x).", text)
        # Each model's first point: corio via:yield (4 ns), not via:event (18 ns).
        self.assertIn("switch (via:yield switches:100000): corio 4 ns, libuv 30 ns (7.5x), "
                      "asio 45 ns (11x), threads 2.4 µs at via:condvar switches:10000 (600x).",
                      text)
        self.assertIn("timers (tasks:10000 sleep_ms:1000): a timer fired on average 50 µs after "
                      "its deadline with corio; asio 60 µs, libuv 80 µs, threads 300 µs at "
                      "tasks:1000 sleep_ms:1000.", text)
        self.assertFalse(any(f.startswith("timer ") for f in text))  # not a cost per op
        self.assertIn("skynet, total time (leaves:1000000): corio 24 ms, libuv 180 ms (7.5x), "
                      "asio 350 ms (15x).", text)
        # The failed libuv sync run is not in the comparison.
        sync = next(f for f in text if f.startswith("wake-up"))
        self.assertNotIn("libuv", sync)

    def test_bytes_per_task(self) -> None:
        data = bytes_per_task.compute(self.results)
        assert data is not None
        text = bytes_per_task.findings(data)
        self.assertIn("Memory per idle task (tasks:100000): corio 96 B, libuv 208 B (2.2x), "
                      "asio 360 B (3.8x), threads 10 KiB at tasks:1000 (107x).", text)
        self.assertNotIn("sequential", " ".join(text))  # 0 B means not measured

    def test_concurrency_limit(self) -> None:
        data = concurrency_limit.compute(self.results)
        assert data is not None
        self.assertEqual((data.capacity, data.delay_ms), (100.0, 10.0))
        text = " ".join(concurrency_limit.findings(data))
        self.assertIn("corio: above L = C = 100 the throughput stays near C / D = 10,000 req/s "
                      "(9,700 req/s at L = unlimited) while p99 grows from 10.5 ms at L = 100 to "
                      "1.26 s at L = unlimited.", text)
        self.assertIn("corio: 1,200 failed requests at L = unlimited; none at L ≤ 1,000.", text)

    def test_throughput(self) -> None:
        data = throughput.compute(self.results, "io/tcp_echo")
        assert data is not None
        corio = next(b for b in data.bars if b.model == "corio")
        self.assertAlmostEqual(corio.rps, 95000)  # median of 95000 / (0.98, 1, 1.02)
        self.assertIsNotNone(corio.rps_sd)
        text = throughput.findings(data)[0]
        self.assertTrue(text.startswith("tcp_echo at conns:64 size:64: asio_mt served the most"))
        http = throughput.compute(self.results, "io/http_plaintext")
        assert http is not None
        self.assertIn("wrk_corio", http.models())
        self.assertIn("nginx", http.models())

    def test_blocking_cdf(self) -> None:
        data = blocking_cdf.compute(self.results)
        assert data is not None
        curve = next(c for c in data.curves if (c.model, c.variant) == ("corio", "inline"))
        self.assertEqual(len(curve.cdf), 14)
        self.assertEqual(curve.cdf[-1], (99.9, 60000.0))
        found = blocking_cdf.findings(data)
        self.assertIn("corio (work:cpu work_ms:5): p99 of the cheap requests is 48 ms with the "
                      "work inline, 900 µs with offload (53x lower).", found)
        self.assertIn("corio (work:blocking work_ms:5): p99 of the cheap requests is 48 ms with "
                      "the work inline, 450 µs with offload (107x lower).", found)
        self.assertIn("asio (work:blocking work_ms:5): p99 of the cheap requests is 52.8 ms "
                      "with the work inline, 495 µs with offload (107x lower).", found)

    def test_partial_results_skip_what_is_missing(self) -> None:
        partial = load_results(PARTIAL)
        self.assertIsNone(sleep_fanout.compute(partial))
        self.assertIsNone(cpu_scaling.compute(partial))
        self.assertIsNone(concurrency_limit.compute(partial))
        self.assertIsNone(throughput.compute(partial, "io/tcp_echo"))
        self.assertIsNone(blocking_cdf.compute(partial))
        cost = runtime_cost.compute(partial)
        assert cost is not None
        self.assertEqual({c.model for c in cost.per_op}, {"corio", "asio"})

    def test_no_finding_holds_nan(self) -> None:
        for module in (sleep_fanout, cpu_scaling, concurrency_limit, blocking_cdf,
                       runtime_cost, bytes_per_task):
            data = module.compute(self.results)  # type: ignore[attr-defined]
            for line in module.findings(data):  # type: ignore[attr-defined]
                self.assertNotIn("nan", line.lower().replace("nanos", ""))
                self.assertFalse(math.isnan(len(line)))


if __name__ == "__main__":
    unittest.main()
