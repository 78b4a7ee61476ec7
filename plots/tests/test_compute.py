"""The pure compute functions and the findings text, on the fixtures."""

import math
import unittest

from corio_plots import (blocking_cdf, bytes_per_task, colors, concurrency_limit, cpu_scaling,
                         runtime_cost, schema, sleep_fanout, throughput, units)
from corio_plots.load import load_results
from corio_plots.stats import Stat
from tests.helpers import PARTIAL, VALID


class Formulas(unittest.TestCase):
    def test_speedup_and_efficiency(self) -> None:
        self.assertAlmostEqual(cpu_scaling.speedup(800.0, 414.5), 1.9300361881785283)
        self.assertAlmostEqual(cpu_scaling.efficiency(1.93, 2) or 0.0, 0.965)
        self.assertIsNone(cpu_scaling.efficiency(1.93, None))
        few = cpu_scaling.Point("fib", "threads", 2, Stat.single(100.0), Stat.single(2.0), 1.0)
        many = cpu_scaling.Point("fib", "threads", 256, Stat.single(354.0), Stat.single(0.8),
                                 0.4)
        self.assertAlmostEqual(cpu_scaling.per_extra_part_ms(few, many), 1.0)
        self.assertEqual(cpu_scaling.ideal(8, 2), 2.0)
        self.assertEqual(cpu_scaling.ideal(1, 2), 1.0)

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
        self.assertIn("corio finished 100,000 sleeps of 10 ms in 12 ms: 1.2x the ideal 10 ms, "
                      "2 ms beyond it (more than 10%) for overlapping waits (N·D / wall = 83,333 "
                      "sleeps at once; one after another they take N·D = 1,000 s).", text)
        self.assertIn("threads ran up to N = 10,000 only: 180 ms at D = 10 ms, 18x the ideal "
                      "10 ms, 170 ms beyond it (more than 10%); the suite stops threads there: "
                      "each thread's stack mapping counts against vm.max_map_count (65530 "
                      "mappings: about 30,000 threads on the reference VM).", text)
        # asio's row at N = 100,000 is unstable (32-52 ms around 40), still apart from libuv.
        self.assertIn("At N = 100,000, D = 10 ms (ideal 10 ms): corio 12 ms, libuv 25 ms, asio "
                      "40 ms (unstable); within 10% of the ideal: none; the order holds across "
                      "repetitions (no two min–max intervals overlap).", text)
        self.assertIn("sequential took 1 s for 100 sleeps of 10 ms: within 10% of the ideal 1 s "
                      "for waits one after another (N·D).", text)

    def test_cpu_scaling(self) -> None:
        data = cpu_scaling.compute(self.results)
        assert data is not None
        threads_w2 = next(p for p in data.points
                          if (p.kernel, p.model, p.workers) == ("fib", "threads", 2))
        self.assertAlmostEqual(threads_w2.speedup, 800 / 414.5)
        self.assertAlmostEqual(threads_w2.efficiency or 0.0, 800 / 414.5 / 2)
        text = " ".join(cpu_scaling.findings(data))
        self.assertIn("fib: at W = 2 (2 cores), corio_mt reached 1.94x over sequential (800 ms), "
                      "97% efficiency, within 10% of the ideal 2.00x; threads 1.93x, processes "
                      "1.90x, corio 1.00x; within noise, not ranked (min–max intervals overlap): "
                      "processes ≈ threads ≈ corio_mt.", text)
        self.assertIn("fib: beyond 2 cores no model passes the 2-core ideal of 2.00x by more "
                      "than 10%: the best at W = 8 is corio_mt with 1.91x.", text)
        # fib carries cpu_time_ms in the fixture: both cores busy at W = 2, 0.98 x 2 x wall.
        self.assertAlmostEqual(cpu_scaling.cpu_ratio(data, threads_w2) or 0.0,
                               414.5 * 2 * 0.98 / 800)
        self.assertIn("fib: CPU time at W = 2 against the sequential run's (800 ms): "
                      "corio_mt 1.01x, threads 1.02x, processes 1.03x, corio 1.00x; within 10% "
                      "of it: corio_mt, threads, processes, corio (the same CPU for the same "
                      "work; so corio lost its speed-up to idle cores).", text)
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
        single = "; single sample: this order is not checked across repetitions."
        self.assertIn("spawn+join (tasks:100000): corio 31 ns, libuv 120 ns (3.9x), asio 410 ns "
                      "(13x), threads 14 µs at tasks:1000 (452x)" + single, text)
        # Each model's first point: corio via:yield (4 ns), not via:event (18 ns).
        self.assertIn("switch (via:yield switches:100000): corio 4 ns, libuv 30 ns (7.5x), "
                      "asio 45 ns (11x), threads 2.4 µs at via:condvar switches:10000 (600x)"
                      + single, text)
        # Timers: each timer's own lateness, and the overshoot named for what it is.
        self.assertIn("timers (tasks:10000 sleep_ms:1000): each timer fired after its own "
                      "deadline by corio p50 20 µs, p99 45 µs, max 60 µs; asio p50 25 µs, p99 "
                      "55 µs, max 90 µs; libuv p50 30 µs, p99 70 µs, max 120 µs; ranked by p99: "
                      "single sample: this order is not checked across repetitions; no "
                      "timer_lateness counters from threads.", text)
        self.assertIn("timers (tasks:10000 sleep_ms:1000): overshoot, from the model's entry "
                      "until the last task woke minus the sleep (creating, firing and the "
                      "lateness of all the timers together; not a timer's lateness): corio 50 "
                      "µs; asio 60 µs, libuv 80 µs, threads 300 µs at tasks:1000 sleep_ms:1000"
                      + single, text)
        self.assertNotIn("on average", " ".join(text))
        self.assertFalse(any(f.startswith("timer ") for f in text))  # not a cost per op
        self.assertIn("skynet, total time (leaves:1000000): corio 24 ms, libuv 180 ms (7.5x), "
                      "asio 350 ms (15x)" + single, text)
        # The failed libuv sync run is not in the comparison.
        sync = next(f for f in text if f.startswith("wake-up"))
        self.assertNotIn("libuv", sync)

    def test_bytes_per_task(self) -> None:
        data = bytes_per_task.compute(self.results)
        assert data is not None
        text = bytes_per_task.findings(data)
        self.assertIn("Memory per idle task (tasks:100000): corio 96 B, libuv 208 B (2.2x), "
                      "asio 360 B (3.8x), threads 10 KiB at tasks:1000 (107x); single sample: "
                      "this order is not checked across repetitions.", text)
        self.assertIn("Memory per sleeping task (sleep_fanout) (tasks:100000 delay_ms:10): corio "
                      "150 B, libuv 260 B (1.7x), asio 420 B (unstable, 2.8x), threads 10.2 KiB "
                      "at tasks:10000 delay_ms:10 (69x); the order holds across repetitions (no "
                      "two min–max intervals overlap).", text)
        self.assertNotIn("sequential", " ".join(text))  # 0 B means not measured
        # thread_pool's queued closures are never compared with sleeping tasks; one note.
        self.assertNotIn("thread_pool", " ".join(text))
        self.assertEqual(data.notes, [
            "io/sleep_fanout: absent from the memory per sleeping task (sleep_fanout) "
            "comparison: sequential (no memory growth measured); thread_pool (beyond its pool "
            "size its tasks are queued closures, not sleeping tasks)"])

    def test_concurrency_limit(self) -> None:
        data = concurrency_limit.compute(self.results)
        assert data is not None
        self.assertEqual((data.capacity, data.delay_ms), (100.0, 10.0))
        text = " ".join(concurrency_limit.findings(data))
        self.assertIn("corio: from L = C = 100 on throughput stays within 10% of C / D = 10,000 "
                      "req/s at every L (100, 200, 1,000, unlimited): 9,700 req/s at L = "
                      "unlimited.", text)
        self.assertIn("corio: past the knee p99 grows 120x, from 10.5 ms at L = 100 to 1.26 s "
                      "at L = unlimited: the extra requests queue.", text)
        # threads runs 15% slower: neither of Little's law's predictions holds for it.
        self.assertIn("threads: below the knee (L < C = 100) throughput does not follow "
                      "Little's law: 852 req/s at L = 10, 15% short of the predicted 1,000 req/s "
                      "= L / D (more than 10% off); at no L within 10%.", text)
        self.assertIn("threads: from L = C = 100 on throughput fell 16% short of C / D = 10,000 "
                      "req/s: 8,435 req/s at L = 200 (more than 10% off); at no L within 10%.",
                      text)
        self.assertIn("corio: 1,200 failed requests at L = unlimited; none at L ≤ 1,000.", text)

    def test_throughput(self) -> None:
        data = throughput.compute(self.results, "io/tcp_echo")
        assert data is not None
        corio = next(b for b in data.bars if b.model == "corio")
        self.assertAlmostEqual(corio.rps, 95000)  # median of 95000 / (0.98, 1, 1.02)
        self.assertAlmostEqual(corio.rps_stat.lo, 95000 / 1.02)
        self.assertAlmostEqual(corio.rps_stat.hi, 95000 / 0.98)
        text = throughput.findings(data)[0]
        self.assertEqual(text, "tcp_echo at conns:64 size:64: asio_mt served the most, 120,000 "
                         "req/s (p99 1.2 ms); corio 95,000 req/s (p99 900 µs), 0.79x of it; libuv "
                         "92,000 req/s (p99 1 ms), 0.77x of it; asio 88,000 req/s (p99 1.1 ms), "
                         "0.73x of it; threads 60,000 req/s (p99 3.5 ms), 0.50x of it; within "
                         "noise, not ranked (min–max intervals overlap): libuv ≈ corio.")
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
                      "work inline, 900 µs with offload, 1.08 ms with pool: 53x lower with "
                      "offload.", found)
        self.assertIn("corio (work:blocking work_ms:5): p99 of the cheap requests is 48 ms with "
                      "the work inline, 450 µs with offload, 540 µs with pool: 107x lower with "
                      "offload.", found)
        self.assertIn("asio (work:blocking work_ms:5): p99 of the cheap requests is 52.8 ms "
                      "with the work inline, 495 µs with offload: 107x lower with offload.",
                      found)

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
