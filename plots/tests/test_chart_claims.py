"""The claims of the new charts' findings and of every chart's "What this shows" line, on
data where each holds and on data where it does not (as tests/test_findings.py does for the
older findings)."""

from __future__ import annotations

import unittest

from corio_plots import (blocking_cdf, concurrency_limit, cpu_scaling, http_fanout, pipeline,
                         scale_to_failure, sleep_fanout, throughput)
from tests.fixtures.make_fixtures import CONTEXT, Writer
from tests.helpers import load_rows
from tests.test_findings import TIGHT, run, text


def fanout(curves: dict[str, dict[str, tuple[float, float]]]) -> http_fanout.HttpFanout:
    """http_fanout runs: model -> {limit: (requests/s, p99 ms)}, R = 1,000, D = 10 ms."""
    data = http_fanout.compute(run(*[
        (f"io/http_fanout/{model}/requests:1000/limit:{limit}/delay_ms:10", 1e6 / rps,
         {"requests_per_second": rps, "latency_p99_us": p99 * 1e3})
        for model, points in curves.items() for limit, (rps, p99) in points.items()]))
    assert data is not None
    return data


class HttpFanoutClaims(unittest.TestCase):
    def test_throughput_follows_l_over_d_then_plateaus_and_p99_grows(self) -> None:
        data = fanout({"corio": {"1": (98.0, 10.5), "10": (970.0, 10.6), "100": (5000.0, 20.0),
                                 "unlimited": (5100.0, 60.0)}})
        found = text(http_fanout.findings(data))
        self.assertIn("corio: throughput follows L / D within 10% up to L = 10 (970 req/s); it "
                      "stops growing at L = 100 (5,000 req/s, within 10% or noise of its best, "
                      "5,100 req/s at L = unlimited).", found)
        self.assertIn("corio: past the plateau p99 grows 3.0x", found)
        self.assertIn("throughput stops growing (within 10% or noise of its best) at L = 100 "
                      "for corio", http_fanout.shows(data))

    def test_still_growing_off_the_ideal_and_a_flat_p99(self) -> None:
        data = fanout({"asio": {"1": (50.0, 10.5), "10": (400.0, 10.6), "100": (3000.0, 10.7)}})
        found = text(http_fanout.findings(data))
        self.assertIn("asio: throughput is more than 10% off L / D from the smallest limit on "
                      "(50 req/s at L = 1, predicted 100 req/s); it still grew at the largest "
                      "limit, L = 100 (3,000 req/s): no plateau within the limits run.", found)
        self.assertNotIn("stops growing", found)
        self.assertIn("still growing at the largest limit: asio", http_fanout.shows(data))

    def test_p99_within_noise_past_the_plateau(self) -> None:
        data = fanout({"corio": {"10": (980.0, 10.5), "100": (5000.0, 20.0),
                                 "1000": (5050.0, 20.5)}})
        self.assertIn("corio: past the plateau p99 stays within noise or 10%",
                      text(http_fanout.findings(data)))


def pipe(points: dict[tuple[str, int, int], float]) -> pipeline.Pipeline:
    """pipeline runs: (model, K, Q) -> items/s."""
    data = pipeline.compute(run(*[
        (f"io/pipeline/{model}/consumers:{k}/capacity:{q}/items:1000/work:cpu", 1e6 / ips,
         {"items_per_second": ips}) for (model, k, q), ips in points.items()]))
    assert data is not None
    return data


class PipelineClaims(unittest.TestCase):
    def test_more_consumers_help_and_the_queue_does_not(self) -> None:
        data = pipe({("corio", 1, 16): 1e5, ("corio", 16, 16): 8e5, ("corio", 1, 1024): 1.02e5,
                     ("corio", 16, 1024): 8.1e5})
        found = text(pipeline.findings(data))
        self.assertIn("pipeline (work:cpu) corio: more consumers moved 8.0x the items "
                      "(100,000/s at K = 1, 800,000/s at K = 16) with Q = 16; a bigger queue "
                      "(Q = 16 -> 1,024) changed items/s by no more than noise or 10% at any K",
                      found)
        shows = pipeline.shows(data)
        self.assertIn("more consumers raised items/s for corio", shows)
        self.assertIn("mattered beyond noise and 10% for no model", shows)

    def test_more_consumers_hurt_and_the_queue_helps(self) -> None:
        data = pipe({("threads", 1, 16): 1e6, ("threads", 16, 16): 2e5,
                     ("threads", 1, 1024): 1e6, ("threads", 16, 1024): 6e5})
        found = text(pipeline.findings(data))
        self.assertIn("more consumers moved fewer items, 5.0x less", found)
        self.assertIn("a bigger queue (Q = 16 -> 1,024) raised items/s 3.0x (200,000/s -> "
                      "600,000/s at K = 16)", found)
        self.assertIn("more consumers raised items/s for no model, lowered it for threads",
                      pipeline.shows(data))

    def test_flat_consumers(self) -> None:
        data = pipe({("libuv", 1, 16): 2e6, ("libuv", 64, 16): 2.05e6})
        self.assertIn("more consumers changed nothing beyond noise or 10%",
                      text(pipeline.findings(data)))


def echo(points: dict[str, tuple[float, float]], reps: int = 3) -> throughput.Throughput:
    """tcp_echo runs at conns:64 size:64: model -> (requests/s, p99 µs)."""
    data = throughput.compute(run(*[
        (f"io/tcp_echo/{model}/conns:64/size:64", 2000.0,
         {"requests_per_second": rps, "latency_p99_us": p99})
        for model, (rps, p99) in points.items()], reps=reps), "io/tcp_echo")
    assert data is not None
    return data


class ParetoClaims(unittest.TestCase):
    def test_one_model_best_on_both_beyond_noise(self) -> None:
        data = echo({"corio": (100000.0, 800.0), "asio": (80000.0, 1000.0)})
        self.assertEqual([b.model for b in throughput.frontier(data.bars)], ["corio"])
        self.assertIn("at conns:64 size:64 corio beats every other model on both throughput "
                      "and p99 beyond noise", throughput.shows(data))

    def test_a_trade_off_has_no_single_best(self) -> None:
        data = echo({"corio": (100000.0, 1200.0), "asio": (80000.0, 700.0)})
        self.assertEqual({b.model for b in throughput.frontier(data.bars)}, {"corio", "asio"})
        shows = throughput.shows(data)
        self.assertIn("no model is best on both: 2 models on the frontier, corio the most "
                      "requests/s, asio the lowest p99", shows)
        self.assertNotIn("beats every other", shows)

    def test_within_noise_is_no_win(self) -> None:
        # 2% apart: the +-1% intervals touch neither way, but 1% apart they overlap.
        data = echo({"corio": (100000.0, 800.0), "asio": (99500.0, 805.0)})
        self.assertEqual(len(throughput.frontier(data.bars)), 2)
        self.assertNotIn("beats every other", throughput.shows(data))


class StopClaims(unittest.TestCase):
    def sweep(self, failed: bool) -> sleep_fanout.SleepFanout:
        w = Writer()
        for n in (100, 1000, 10000):
            w.add(f"io/sleep_fanout/corio/tasks:{n}/delay_ms:10", 10.5, "ms", {}, reps=3,
                  jitter=TIGHT)
        for n in (100, 1000):
            w.add(f"io/sleep_fanout/threads/tasks:{n}/delay_ms:10", 12.0, "ms", {}, reps=3,
                  jitter=TIGHT)
            w.add(f"io/sleep_fanout/py_threads/tasks:{n}/delay_ms:10", 13.0, "ms", {},
                  reps=3, jitter=TIGHT)
        if failed:
            w.add("io/sleep_fanout/threads/tasks:10000/delay_ms:10", 0, "ms", {}, reps=3,
                  error="check failed: the OS refused thread 5001 of 10000")
        data = sleep_fanout.compute(load_rows(w, CONTEXT))
        assert data is not None
        return data

    def test_a_failed_run_is_the_reason(self) -> None:
        stops = {st.model: st for st in self.sweep(failed=True).stops(10.0)}
        self.assertEqual(stops["threads"].short, "failed at N = 10,000")
        self.assertIn("the OS refused thread 5001", stops["threads"].why)
        self.assertEqual(stops["py_threads"].short, "no larger N in this run")
        self.assertNotIn("corio", stops)

    def test_without_a_failure_the_readme_limit_is_the_reason(self) -> None:
        data = self.sweep(failed=False)
        stops = {st.model: st for st in data.stops(10.0)}
        self.assertEqual(stops["threads"].short, "vm.max_map_count")
        scale = scale_to_failure.compute(load_rows(self._writer_of(data), CONTEXT))
        assert scale is not None
        self.assertIn("stopped earlier: threads at 1,000 (vm.max_map_count), py_threads at "
                      "1,000 (no larger N in this run)", scale_to_failure.shows(scale))

    @staticmethod
    def _writer_of(data: sleep_fanout.SleepFanout) -> Writer:
        w = Writer()
        for p in data.points:
            w.add(f"io/sleep_fanout/{p.model}/tasks:{p.tasks}/delay_ms:10", p.wall_ms, "ms",
                  {}, reps=3, jitter=TIGHT)
        return w

    def test_shows_says_who_met_the_ideal(self) -> None:
        data = self.sweep(failed=False)
        self.assertIn("D = 10 ms, N = 10,000: within 10% of D: corio", sleep_fanout.shows(data))
        slow = run(("io/sleep_fanout/corio/tasks:1000/delay_ms:10", 30.0, {}))
        sdata = sleep_fanout.compute(slow)
        assert sdata is not None
        self.assertIn("no model within 10% of D; beyond it: corio", sleep_fanout.shows(sdata))


class ShowsClaims(unittest.TestCase):
    def test_concurrency_limit_cap_held_and_missed(self) -> None:
        rows = []
        for model, slow in (("corio", 1.0), ("threads", 1.3)):
            for limit in ("50", "100", "200", "unlimited"):
                lim = 1e4 if limit == "unlimited" else float(limit)
                rps = min(lim, 100) / 0.010 * 0.98 / slow
                rows.append((f"limit/concurrency_limit/{model}/limit:{limit}/capacity:100/"
                             "delay_ms:10", 1e3, {"requests_per_second": rps,
                                                  "latency_p99_us": 1e4 * max(1, lim / 100)}))
        data = concurrency_limit.compute(run(*rows))
        assert data is not None
        shows = concurrency_limit.shows(data)
        self.assertIn("within 10% of that cap at every L ≥ C (more L added nothing): corio",
                      shows)
        self.assertIn("not within 10%: threads (25% short of C / D at L = 100)", shows)
        self.assertIn("p99 grew beyond noise and 10% from L = C for corio, threads", shows)

    def test_blocking_offload_lowers_or_not(self) -> None:
        def curve(model: str, variant: str, p99: float) -> tuple[str, float, dict[str, float]]:
            return (f"mixed/blocking_in_loop/{model}/variant:{variant}/work:cpu", 1e3,
                    {"latency_p99_us": p99, "cdf_p50_us": p99 / 10, "cdf_p99_us": p99})
        data = blocking_cdf.compute(run(curve("corio", "inline", 48000.0),
                                        curve("corio", "offload", 900.0),
                                        curve("asio", "inline", 1000.0),
                                        curve("asio", "offload", 1010.0)))
        assert data is not None
        shows = blocking_cdf.shows(data)
        self.assertIn("cut the cheap requests' p99 (corio 53x lower), not for asio", shows)
        none = blocking_cdf.compute(run(curve("asio", "inline", 1000.0),
                                        curve("asio", "offload", 1010.0)))
        assert none is not None
        self.assertIn("did not lower the p99 beyond noise and 10% (asio)",
                      blocking_cdf.shows(none))

    def test_cpu_scaling_ideal_reached_or_not(self) -> None:
        def scaling(par: float) -> cpu_scaling.CpuScaling:
            data = cpu_scaling.compute(run(
                ("cpu/cpu_scaling/sequential/kernel:fib/workers:1", 800.0, {}),
                ("cpu/cpu_scaling/threads/kernel:fib/workers:2", 800.0 / par, {}),
                ("cpu/cpu_scaling/corio/kernel:fib/workers:2", 800.0, {})))
            assert data is not None
            return data
        shows = cpu_scaling.shows(scaling(1.95))
        self.assertIn("fib at W = 2: threads within 10% of the ideal 2.00x; no faster than one "
                      "core: corio", shows)
        self.assertIn("no model within 10% of the ideal 2.00x", cpu_scaling.shows(scaling(1.5)))


if __name__ == "__main__":
    unittest.main()


class TaskMemoryCost(unittest.TestCase):
    """Idle task creation is creation_ns_per_task when a run reports it: its items_per_second
    divided the whole call (trim, /proc reads, release, join) by N."""

    def cost(self, counters: dict[str, float]) -> float:
        from corio_plots import runtime_cost

        w = Writer()
        w.add("runtime/task_memory/corio/tasks:100000/iterations:1", 80.0, "ms", counters,
              reps=3, jitter=TIGHT)
        data = runtime_cost.compute(load_rows(w, CONTEXT))
        assert data is not None
        [cost] = [c for c in data.per_op if c.workload == "runtime/task_memory"]
        return cost.ns_per_op

    def test_creation_time_is_the_cost_when_reported(self) -> None:
        ns = self.cost({"creation_ns_per_task": 1900.0, "items_per_second": 1.25e6,
                        "bytes_per_task": 204.0})
        self.assertAlmostEqual(ns, 1900.0, delta=1900.0 * 0.02)

    def test_older_runs_fall_back_to_items_per_second(self) -> None:
        ns = self.cost({"items_per_second": 1.25e6, "bytes_per_task": 204.0})
        self.assertAlmostEqual(ns, 800.0, delta=800.0 * 0.02)
