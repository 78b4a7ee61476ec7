"""Every claim of every finding, on data where it holds and on data where it does not.

Each sentence generator computes its condition from the data (a named tolerance, or whether
min–max intervals overlap) and says what happened otherwise; these tests build small runs in
Google Benchmark's layout (fixtures.make_fixtures.Writer) that make each claim true, then
false.
"""

from __future__ import annotations

import unittest

from corio_plots import (blocking_cdf, bytes_per_task, concurrency_limit, cpu_scaling, generic,
                         runtime_cost, sleep_fanout, throughput)
from corio_plots.load import Results
from tests.fixtures.make_fixtures import Writer
from tests.helpers import load_rows

TIGHT = (0.99, 1.0, 1.01)  # +-1%: apart from anything 5% away
WIDE = (0.96, 1.0, 1.04)  # +-4%: overlaps a neighbour 3% away, still stable (8% < 10%)
UNSTABLE = (0.9, 1.0, 1.1)  # +-10%: a spread of 20% of the median


def run(*benchmarks: tuple[str, float, dict[str, float]], reps: int = 3,
        jitter: tuple[float, ...] = TIGHT, cpus: int = 2) -> Results:
    """Results holding each (name, real time in ms, counters), ``reps`` repetitions each."""
    w = Writer()
    for name, ms, counters in benchmarks:
        w.add(name, ms, "ms", counters, reps=reps, jitter=jitter)
    from tests.fixtures.make_fixtures import CONTEXT
    return load_rows(w, {**CONTEXT, "num_cpus": cpus})


def text(lines: list[str]) -> str:
    return "\n".join(lines)


class SleepFanoutClaims(unittest.TestCase):
    @staticmethod
    def fanout(walls: dict[str, dict[int, float]], reps: int = 3,
               jitter: tuple[float, ...] = TIGHT) -> list[str]:
        results = run(*[(f"io/sleep_fanout/{model}/tasks:{n}/delay_ms:10", wall, {})
                         for model, points in walls.items() for n, wall in points.items()],
                      reps=reps, jitter=jitter)
        data = sleep_fanout.compute(results)
        assert data is not None
        return sleep_fanout.findings(data)

    def test_overlapping_waits_near_the_ideal(self) -> None:
        found = text(self.fanout({"corio": {1000: 10.5}}))
        self.assertIn("corio finished 1,000 sleeps of 10 ms in 10.5 ms: within 10% of the ideal "
                      "10 ms for overlapping waits", found)

    def test_overlapping_waits_far_from_the_ideal(self) -> None:
        found = text(self.fanout({"corio": {1000: 20.0}}))
        self.assertIn("corio finished 1,000 sleeps of 10 ms in 20 ms: 2.0x the ideal 10 ms, "
                      "10 ms beyond it (more than 10%)", found)
        self.assertNotIn("within 10%", found)

    def test_sequential_near_n_times_d(self) -> None:
        found = text(self.fanout({"sequential": {100: 1004.0}}))
        self.assertIn("sequential took 1 s for 100 sleeps of 10 ms: within 10% of the ideal 1 s "
                      "for waits one after another (N·D).", found)

    def test_sequential_far_below_n_times_d(self) -> None:
        found = text(self.fanout({"sequential": {100: 500.0}}))
        self.assertIn("sequential took 500 ms for 100 sleeps of 10 ms: 2.0x below the ideal "
                      "1 s, 500 ms under it (more than 10%)", found)

    def test_ranking_holds_or_is_within_noise_or_single(self) -> None:
        apart = text(self.fanout({"corio": {1000: 10.5}, "asio": {1000: 14.0}}))
        self.assertIn("At N = 1,000, D = 10 ms (ideal 10 ms): corio 10.5 ms, asio 14 ms; within "
                      "10% of the ideal: corio; the order holds across repetitions", apart)
        close = text(self.fanout({"corio": {1000: 10.5}, "asio": {1000: 10.8}}, jitter=WIDE))
        self.assertIn("within noise, not ranked (min–max intervals overlap): corio ≈ asio",
                      close)
        single = text(self.fanout({"corio": {1000: 10.5}, "asio": {1000: 14.0}}, reps=1))
        self.assertIn("single sample: this order is not checked across repetitions", single)


class CpuScalingClaims(unittest.TestCase):
    @staticmethod
    def scaling(times: dict[str, dict[int, float]], cpu_ms: dict[str, float] | None = None,
                jitter: tuple[float, ...] = TIGHT) -> list[str]:
        rows = []
        for model, points in times.items():
            for workers, ms in points.items():
                counters = {}
                if cpu_ms and model in cpu_ms and workers in (1, 2):
                    counters["cpu_time_ms"] = cpu_ms[model]
                rows.append((f"cpu/cpu_scaling/{model}/kernel:fib/workers:{workers}", ms,
                             counters))
        data = cpu_scaling.compute(run(*rows, jitter=jitter))
        assert data is not None
        return cpu_scaling.findings(data)

    def test_speed_up_near_the_ideal(self) -> None:
        found = text(self.scaling({"sequential": {1: 800.0}, "threads": {2: 410.0}}))
        self.assertIn("threads reached 1.95x over sequential (800 ms), 98% efficiency, within "
                      "10% of the ideal 2.00x", found)

    def test_speed_up_short_of_the_ideal(self) -> None:
        found = text(self.scaling({"sequential": {1: 800.0}, "threads": {2: 500.0}}))
        self.assertIn("threads reached 1.60x over sequential (800 ms), 80% efficiency, 20% "
                      "short of the ideal 2.00x (more than 10%)", found)

    def test_beyond_the_cores_nothing_passes_the_ideal(self) -> None:
        found = text(self.scaling({"sequential": {1: 800.0},
                                   "threads": {2: 410.0, 8: 420.0}}))
        self.assertIn("fib: beyond 2 cores no model passes the 2-core ideal of 2.00x by more "
                      "than 10%: the best at W = 8 is threads with 1.90x.", found)

    def test_beyond_the_cores_a_model_passes_the_ideal(self) -> None:
        found = text(self.scaling({"sequential": {1: 800.0},
                                   "threads": {2: 410.0, 8: 300.0}}))
        self.assertIn("fib: at W = 8, threads reached 2.67x, more than 10% above the 2-core "
                      "ideal of 2.00x", found)
        self.assertNotIn("no model passes", found)

    def test_same_cpu_time_means_idle_cores(self) -> None:
        found = text(self.scaling({"sequential": {1: 800.0}, "corio": {2: 800.0}},
                                  cpu_ms={"sequential": 800.0, "corio": 810.0}))
        self.assertIn("corio 1.01x; within 10% of it: corio (the same CPU for the same work; so "
                      "corio lost its speed-up to idle cores).", found)

    def test_more_cpu_time_is_overhead_or_slower_cores(self) -> None:
        found = text(self.scaling({"sequential": {1: 800.0}, "threads": {2: 600.0}},
                                  cpu_ms={"sequential": 800.0, "threads": 1040.0}))
        self.assertIn("threads 1.30x; more than 10% above it: threads (the same work cost more "
                      "CPU", found)
        self.assertNotIn("idle cores", found)

    def test_oversubscription_cost_or_within_noise(self) -> None:
        cost = text(self.scaling({"sequential": {1: 800.0}, "threads": {2: 410.0, 8: 470.0}}))
        self.assertIn("threads 410 ms -> 470 ms (+10000 µs per extra part)", cost)
        noise = text(self.scaling({"sequential": {1: 800.0}, "threads": {2: 410.0, 8: 412.0}}))
        self.assertIn("threads 410 ms -> 412 ms (within noise)", noise)


    def test_python_rows_are_measured_over_py_sequential(self) -> None:
        found = text(self.scaling({"sequential": {1: 800.0}, "threads": {2: 410.0},
                                   "py_sequential": {1: 1000.0}, "py_processes": {2: 520.0}}))
        self.assertIn("fib: at W = 2 (2 cores), threads reached 1.95x over sequential (800 ms)",
                      found)
        # Over sequential's 800 ms py_processes would be 1.54x; over its own baseline it is 1.92x.
        self.assertIn("fib: at W = 2 (2 cores), py_processes reached 1.92x over py_sequential "
                      "(1 s)", found)
        self.assertNotIn("1.54x", found)

    def test_go_and_tokio_rows_are_measured_over_their_one_thread_run(self) -> None:
        found = text(self.scaling({"sequential": {1: 800.0}, "go": {1: 1500.0, 2: 1500.0},
                                   "go_mt": {2: 780.0}}))
        # Over C++'s 800 ms go_mt would be about the same as sequential; over go at W = 1
        # (1.5 s, the same work on one thread) it is 1.92x.
        self.assertIn("fib: at W = 2 (2 cores), go_mt reached 1.92x over go (1.5 s)", found)
        self.assertNotIn("over sequential", found)

    def test_python_rows_without_their_baseline_get_no_speed_up(self) -> None:
        data = cpu_scaling.compute(run(
            ("cpu/cpu_scaling/sequential/kernel:fib/workers:1", 800.0, {}),
            ("cpu/cpu_scaling/py_threads/kernel:fib/workers:2", 1000.0, {})))
        assert data is not None
        self.assertEqual([p.model for p in data.points], ["sequential"])
        self.assertIn("kernel fib: no py_sequential run, so the speed-ups over it are not "
                      "computed (run it with the py_sequential model)", data.notes)

    def test_the_gil_holds_python_threads_at_one_core(self) -> None:
        found = text(self.scaling({"py_sequential": {1: 1000.0}, "py_threads": {2: 1050.0},
                                   "py_processes": {2: 520.0}, "py_asyncio": {2: 1010.0}}))
        self.assertIn("fib: the GIL: at W = 2, py_threads reached 0.95x over py_sequential (no "
                      "faster than one core: one thread runs Python at a time), py_processes "
                      "1.92x (one interpreter per process, one GIL each), py_asyncio 0.99x "
                      "(one thread).", found)

    def test_python_threads_that_scale_are_not_blamed_on_the_gil(self) -> None:
        found = text(self.scaling({"py_sequential": {1: 1000.0}, "py_threads": {2: 530.0}}))
        self.assertIn("fib: the GIL: at W = 2, py_threads reached 1.89x over py_sequential, more "
                      "than 10% above 1x: the kernel ran in parallel threads (it released the "
                      "GIL).", found)
        self.assertNotIn("one thread runs Python at a time", found)


class ThroughputClaims(unittest.TestCase):
    @staticmethod
    def echo(rps: dict[str, float], errors: float = 0.0, reps: int = 3,
             jitter: tuple[float, ...] = TIGHT) -> list[str]:
        results = run(*[(f"io/tcp_echo/{model}/conns:64/size:64", 2000.0,
                          {"requests_per_second": r, "latency_p99_us": 900.0, "errors": errors})
                        for model, r in rps.items()], reps=reps, jitter=jitter)
        data = throughput.compute(results, "io/tcp_echo")
        assert data is not None
        return throughput.findings(data)

    def test_served_the_most_when_apart(self) -> None:
        found = self.echo({"corio": 100000.0, "asio": 80000.0})
        self.assertEqual(found, ["tcp_echo at conns:64 size:64: corio served the most, 100,000 "
                                 "req/s (p99 900 µs); asio 80,000 req/s (p99 900 µs), 0.80x of "
                                 "it; the order holds across repetitions (no two min–max "
                                 "intervals overlap)."])

    def test_no_top_model_within_noise(self) -> None:
        (found,) = self.echo({"corio": 100000.0, "asio": 98000.0}, jitter=WIDE)
        self.assertNotIn("served the most", found)
        self.assertIn("corio 100,000 req/s (p99 900 µs), asio 98,000 req/s (p99 900 µs) share "
                      "the top within noise", found)

    def test_single_sample_says_so(self) -> None:
        (found,) = self.echo({"corio": 100000.0, "asio": 80000.0}, reps=1)
        self.assertIn("single sample: this order is not checked across repetitions", found)

    def test_failed_requests_only_when_there_were_some(self) -> None:
        self.assertEqual(len(self.echo({"corio": 1e5})), 1)
        found = self.echo({"corio": 1e5}, errors=10.0)
        self.assertIn("tcp_echo at conns:64 size:64: corio had 10 failed requests (median; 10 to "
                      "10 over 3 repetitions).", found)

    def test_a_lone_model_is_not_ranked(self) -> None:
        self.assertEqual(self.echo({"corio": 1e5}),
                         ["tcp_echo at conns:64 size:64: only corio ran it, 100,000 req/s (p99 "
                          "900 µs); nothing to rank."])


class BlockingClaims(unittest.TestCase):
    @staticmethod
    def blocking(inline_us: float, offload_us: float, reps: int = 3,
                 jitter: tuple[float, ...] = TIGHT) -> str:
        results = run(*[(f"mixed/blocking_in_loop/corio/variant:{v}/work:cpu", 3000.0,
                         {"latency_p99_us": us, "requests_per_second": 1000.0})
                        for v, us in (("inline", inline_us), ("offload", offload_us))],
                      reps=reps, jitter=jitter)
        data = blocking_cdf.compute(results)
        assert data is not None
        (found,) = blocking_cdf.findings(data)
        return found

    def test_offloading_lowers_the_tail(self) -> None:
        self.assertEqual(self.blocking(48000.0, 900.0),
                         "corio (work:cpu): p99 of the cheap requests is 48 ms with the work "
                         "inline, 900 µs with offload: 53x lower with offload.")

    def test_a_single_variant_names_the_one_that_is_missing(self) -> None:
        def alone(variant: str) -> str:
            data = blocking_cdf.compute(run(
                (f"mixed/blocking_in_loop/go/variant:{variant}/work:cpu", 3000.0,
                 {"latency_p99_us": 4400.0, "requests_per_second": 1000.0})))
            assert data is not None
            (found,) = blocking_cdf.findings(data)
            return found
        self.assertEqual(alone("inline"), "go (work:cpu): p99 of the cheap requests: inline "
                         "4.4 ms (no offloaded run to compare with).")
        self.assertEqual(alone("offload"), "go (work:cpu): p99 of the cheap requests: offload "
                         "4.4 ms (no inline run to compare with).")

    def test_offloading_within_noise(self) -> None:
        found = self.blocking(1000.0, 950.0, jitter=WIDE)
        self.assertIn("within noise: offloading changed nothing beyond the repetitions' "
                      "spread", found)
        self.assertNotIn("lower with", found)

    def test_offloading_about_the_same(self) -> None:
        found = self.blocking(1000.0, 940.0)
        self.assertIn("about the same (within 10%): offloading did not lower it", found)

    def test_offloading_raises_the_tail(self) -> None:
        found = self.blocking(1000.0, 2000.0)
        self.assertIn("higher with offload (2.0x the inline p99): offloading raised it", found)

    def test_single_sample_says_so(self) -> None:
        self.assertIn("single sample: not checked across repetitions",
                      self.blocking(48000.0, 900.0, reps=1))


class ConcurrencyLimitClaims(unittest.TestCase):
    """C = 16, D = 10 ms: Little's law predicts L x 100 req/s up to L = 16, then 1,600."""

    @staticmethod
    def sweep(rps: dict[str, float], p99_ms: dict[str, float] | None = None,
              errors: dict[str, float] | None = None, model: str = "processes",
              reps: int = 3, jitter: tuple[float, ...] = TIGHT) -> str:
        rows = []
        for limit, r in rps.items():
            counters = {"requests_per_second": r,
                        "latency_p99_us": (p99_ms or {}).get(limit, 11.0) * 1e3,
                        "errors": (errors or {}).get(limit, 0.0)}
            rows.append((f"limit/concurrency_limit/{model}/limit:{limit}/capacity:16/"
                         "delay_ms:10", 1000.0, counters))
        data = concurrency_limit.compute(run(*rows, reps=reps, jitter=jitter))
        assert data is not None
        return text(concurrency_limit.findings(data))

    def test_past_the_knee_far_short_of_c_over_d(self) -> None:
        # The reference run's processes: 233 req/s at L = unlimited against 1,600.
        found = self.sweep({"8": 760.0, "16": 1500.0, "unlimited": 233.0})
        self.assertIn("processes: from L = C = 16 on throughput fell 85% short of C / D = 1,600 "
                      "req/s: 233 req/s at L = unlimited (more than 10% off); within 10% at "
                      "L = 16.", found)
        self.assertNotIn("stays", found.split("past the knee")[0])

    def test_past_the_knee_near_c_over_d(self) -> None:
        found = self.sweep({"16": 1560.0, "64": 1550.0, "unlimited": 1520.0})
        self.assertIn("processes: from L = C = 16 on throughput stays within 10% of C / D = "
                      "1,600 req/s at every L (16, 64, unlimited): 1,520 req/s at L = "
                      "unlimited.", found)

    def test_below_the_knee_follows_littles_law(self) -> None:
        found = self.sweep({"1": 97.0, "8": 760.0})
        self.assertIn("processes: below the knee (L < C = 16) throughput follows Little's law "
                      "within 10% at every L (1, 8): 760 req/s at L = 8 (predicted 800 req/s = "
                      "L / D).", found)

    def test_below_the_knee_short_of_littles_law(self) -> None:
        found = self.sweep({"1": 97.0, "8": 659.0})
        self.assertIn("processes: below the knee (L < C = 16) throughput does not follow "
                      "Little's law: 659 req/s at L = 8, 18% short of the predicted 800 req/s = "
                      "L / D (more than 10% off); within 10% at L = 1.", found)

    def test_p99_grows_past_the_knee(self) -> None:
        found = self.sweep({"16": 1560.0, "unlimited": 1550.0},
                           p99_ms={"16": 11.0, "unlimited": 1300.0})
        self.assertIn("processes: past the knee p99 grows 118x, from 11 ms at L = 16 to 1.3 s "
                      "at L = unlimited: the extra requests queue.", found)

    def test_p99_does_not_grow_past_the_knee(self) -> None:
        noise = self.sweep({"16": 1560.0, "unlimited": 1550.0},
                           p99_ms={"16": 11.0, "unlimited": 11.5}, jitter=WIDE)
        self.assertIn("processes: past the knee p99 stays the same within noise (11 ms at L = "
                      "16, 11.5 ms at L = unlimited).", noise)
        self.assertNotIn("grows", noise)
        flat = self.sweep({"16": 1560.0, "unlimited": 1550.0},
                          p99_ms={"16": 11.0, "unlimited": 11.5})
        self.assertIn("processes: past the knee p99 stays within 10% (11 ms at L = 16, 11.5 ms "
                      "at L = unlimited).", flat)
        fell = self.sweep({"16": 1560.0, "unlimited": 1550.0},
                          p99_ms={"16": 20.0, "unlimited": 11.0})
        self.assertIn("processes: past the knee p99 falls, from 20 ms at L = 16 to 11 ms at L = "
                      "unlimited (1.8x lower, more than 10%).", fell)

    def test_failed_requests_only_where_there_were_some(self) -> None:
        clean = self.sweep({"8": 760.0, "unlimited": 1550.0})
        self.assertNotIn("failed", clean)
        failing = self.sweep({"8": 760.0, "unlimited": 1550.0}, errors={"unlimited": 30.0})
        self.assertIn("processes: 30 failed requests at L = unlimited; none at L ≤ 8.", failing)

    def test_single_samples_are_said_so(self) -> None:
        found = self.sweep({"8": 760.0, "unlimited": 1550.0}, reps=1)
        self.assertIn("Single samples: each throughput above is one repetition", found)


class RuntimeCostClaims(unittest.TestCase):
    @staticmethod
    def spawn(ns: dict[str, float], jitter: tuple[float, ...] = TIGHT, reps: int = 3) -> str:
        results = run(*[(f"runtime/spawn/{model}/tasks:1000", n * 1000 / 1e6,
                         {"items_per_second": 1e9 / n}) for model, n in ns.items()],
                      jitter=jitter, reps=reps)
        data = runtime_cost.compute(results)
        assert data is not None
        (found,) = runtime_cost.findings(data)
        return found

    def test_ratio_when_apart(self) -> None:
        self.assertEqual(self.spawn({"corio": 31.0, "asio": 410.0}),
                         "spawn+join (tasks:1000): corio 31 ns, asio 410 ns (13x); the order "
                         "holds across repetitions (no two min–max intervals overlap).")

    def test_within_noise_gives_no_ratio(self) -> None:
        found = self.spawn({"corio": 31.0, "asio": 32.0}, jitter=WIDE)
        self.assertEqual(found, "spawn+join (tasks:1000): corio 31 ns, asio 32 ns (within noise "
                                "of corio); within noise, not ranked (min–max intervals "
                                "overlap): corio ≈ asio.")

    def test_timers_use_each_timers_lateness_when_reported(self) -> None:
        results = run(("runtime/timers/corio/tasks:1000/sleep_ms:1000", 1000.0,
                       {"overshoot_ms": 3.8, "timer_lateness_p50_us": 20.0,
                        "timer_lateness_p99_us": 45.0, "timer_lateness_max_us": 60.0}))
        data = runtime_cost.compute(results)
        assert data is not None
        found = text(runtime_cost.findings(data))
        self.assertIn("each timer fired after its own deadline by corio p50 20 µs, p99 45 µs, "
                      "max 60 µs", found)
        self.assertIn("overshoot, from the model's entry until the last task woke minus the "
                      "sleep (creating, firing and the lateness of all the timers together; not "
                      "a timer's lateness): corio 3.8 ms", found)
        self.assertNotIn("on average", found)

    def test_timers_without_lateness_never_call_overshoot_a_lateness(self) -> None:
        results = run(("runtime/timers/corio/tasks:1000/sleep_ms:1000", 1000.0,
                       {"overshoot_ms": 3.8}))
        data = runtime_cost.compute(results)
        assert data is not None
        (found,) = runtime_cost.findings(data)
        self.assertIn("not a timer's lateness, which this run does not report): corio 3.8 ms",
                      found)
        self.assertNotIn("fired after its own deadline", found)


class BytesPerTaskClaims(unittest.TestCase):
    def test_ratio_when_apart_within_noise_when_not(self) -> None:
        apart = run(("runtime/task_memory/corio/tasks:1000", 1.0, {"bytes_per_task": 96.0}),
                    ("runtime/task_memory/asio/tasks:1000", 1.0, {"bytes_per_task": 360.0}))
        data = bytes_per_task.compute(apart)
        assert data is not None
        self.assertEqual(bytes_per_task.findings(data),
                         ["Memory per idle task (tasks:1000): corio 96 B, asio 360 B (3.8x); "
                          "the order holds across repetitions (no two min–max intervals "
                          "overlap)."])
        close = run(("runtime/task_memory/corio/tasks:1000", 1.0, {"bytes_per_task": 96.0}),
                    ("runtime/task_memory/asio/tasks:1000", 1.0, {"bytes_per_task": 100.0}),
                    jitter=WIDE)
        data = bytes_per_task.compute(close)
        assert data is not None
        self.assertIn("asio 100 B (within noise of corio)", bytes_per_task.findings(data)[0])

    def test_queued_closures_and_missing_counters_are_left_out_with_one_note(self) -> None:
        results = run(("io/sleep_fanout/corio/tasks:1000/delay_ms:10", 10.5,
                       {"bytes_per_task": 150.0}),
                      ("io/sleep_fanout/thread_pool/tasks:1000/delay_ms:10", 1700.0,
                       {"bytes_per_task": 83.0}),
                      ("io/sleep_fanout/corio_mt/tasks:1000/delay_ms:10", 10.4, {}))
        data = bytes_per_task.compute(results)
        assert data is not None
        (found,) = bytes_per_task.findings(data)
        self.assertNotIn("thread_pool", found)
        self.assertNotIn("corio_mt", found)
        self.assertEqual(data.notes, [
            "io/sleep_fanout: absent from the memory per sleeping task (sleep_fanout) "
            "comparison: corio_mt (no bytes_per_task counter); thread_pool (beyond its pool "
            "size its tasks are queued closures, not sleeping tasks)"])


class UnstableValues(unittest.TestCase):
    def test_a_finding_marks_an_unstable_value(self) -> None:
        results = run(("runtime/spawn/corio/tasks:1000", 0.031, {"items_per_second": 1e9 / 31}),
                      ("runtime/spawn/asio/tasks:1000", 0.41, {"items_per_second": 1e9 / 410}),
                      jitter=UNSTABLE)
        data = runtime_cost.compute(results)
        assert data is not None
        (found,) = runtime_cost.findings(data)
        self.assertEqual(found, "spawn+join (tasks:1000): corio 31 ns (unstable), asio 410 ns "
                                "(unstable, 13x); the order holds across repetitions (no two "
                                "min–max intervals overlap).")


class RankingClaims(unittest.TestCase):
    def test_moved_the_most_when_apart(self) -> None:
        results = run(("io/pipeline/corio/consumers:4", 1.0, {"items_per_second": 8e6}),
                      ("io/pipeline/asio/consumers:4", 1.0, {"items_per_second": 3e6}))
        self.assertEqual(generic.ranking_findings(results, "io/pipeline", "items_per_second",
                                                  "items"),
                         ["pipeline (consumers:4), by items_per_second: corio moved the most "
                          "items, 8 M/s; asio 3 M/s (0.38x); the order holds across "
                          "repetitions (no two min–max intervals overlap)."])

    def test_within_noise_nobody_moved_the_most(self) -> None:
        results = run(("io/pipeline/corio/consumers:4", 1.0, {"items_per_second": 8e6}),
                      ("io/pipeline/asio/consumers:4", 1.0, {"items_per_second": 7.8e6}),
                      jitter=WIDE)
        (found,) = generic.ranking_findings(results, "io/pipeline", "items_per_second", "items")
        self.assertIn("corio 8 M/s, asio 7.8 M/s moved the most items within noise", found)

    def test_http_fanout_ranks_by_requests_per_second_when_present(self) -> None:
        with_rps = run(("io/http_fanout/corio/requests:100/limit:10/delay_ms:10", 1.0,
                        {"items_per_second": 800.0, "requests_per_second": 950.0}),
                       ("io/http_fanout/asio/requests:100/limit:10/delay_ms:10", 1.0,
                        {"items_per_second": 900.0}))
        self.assertEqual(generic.ranked_counter(with_rps, "io/http_fanout"),
                         "requests_per_second")
        (found,) = generic.ranking_findings(with_rps, "io/http_fanout", "requests_per_second",
                                            "requests")
        self.assertIn("only corio ran it, 950/s", found)
        self.assertIn("1 runs do not report it", generic.ranking_notes(
            with_rps, "io/http_fanout", "requests_per_second")[0])
        without = run(("io/http_fanout/corio/requests:100/limit:10/delay_ms:10", 1.0,
                       {"items_per_second": 800.0}))
        self.assertEqual(generic.ranked_counter(without, "io/http_fanout"), "items_per_second")


if __name__ == "__main__":
    unittest.main()


class SkynetClaims(unittest.TestCase):
    def test_a_smaller_tree_is_compared_per_leaf(self) -> None:
        from corio_plots import runtime_cost

        data = runtime_cost.compute(run(
            ("runtime/skynet/corio/leaves:1000000", 20.0, {}),
            ("runtime/skynet/asio/leaves:1000000", 5000.0, {}),
            ("runtime/skynet/py_asyncio/leaves:100000", 2000.0, {})))
        assert data is not None
        found = text(runtime_cost.findings(data))
        # 2 s for 100,000 leaves is 20 µs a leaf, 1,000x corio's 20 ns; total to total it
        # would read 100x.
        self.assertIn("skynet, total time (leaves:1000000): corio 20 ms, asio 5 s (250x), "
                      "py_asyncio 2 s at leaves:100000 (1,000x per leaf);", found)
        self.assertNotIn("(100x)", found)


class LanguagesClaims(unittest.TestCase):
    """corio beside the models in other languages: ratios at comparable points only."""

    @staticmethod
    def langs(*rows: tuple[str, float, dict[str, float]],
              jitter: tuple[float, ...] = TIGHT) -> list[str]:
        from corio_plots import languages

        data = languages.compute(run(*rows, jitter=jitter))
        assert data is not None
        return languages.findings(data)

    def test_cost_per_operation_is_a_ratio_at_each_models_own_size(self) -> None:
        found = text(self.langs(
            ("runtime/spawn/corio/tasks:100000", 2.0, {"items_per_second": 5e7}),
            ("runtime/spawn/py_asyncio/tasks:20000", 200.0, {"items_per_second": 1e5}),
            ("runtime/spawn/tokio/tasks:100000", 30.0, {"items_per_second": 3.5e6})))
        self.assertIn("py_asyncio against corio, same run (its figure, then its figure over "
                      "corio's): spawn+join 10 µs (500x).", found)
        self.assertIn("tokio against corio, same run (its figure, then its figure over "
                      "corio's): spawn+join 286 ns (14x).", found)

    def test_overlapping_figures_are_within_noise_not_a_ratio(self) -> None:
        found = text(self.langs(
            ("runtime/spawn/corio/tasks:100000", 2.0, {"items_per_second": 5.0e7}),
            ("runtime/spawn/go/tasks:100000", 2.0, {"items_per_second": 5.1e7}), jitter=WIDE))
        self.assertIn("spawn+join 19.6 ns (within noise).", found)

    def test_sleep_fanout_compares_at_the_same_n_only(self) -> None:
        found = text(self.langs(
            ("io/sleep_fanout/corio/tasks:100/delay_ms:10", 10.0, {}),
            ("io/sleep_fanout/corio/tasks:100000/delay_ms:10", 20.0, {}),
            ("io/sleep_fanout/py_asyncio/tasks:100/delay_ms:10", 30.0, {}),
            ("io/sleep_fanout/go/tasks:1000/delay_ms:10", 12.0, {})))
        # py_asyncio's 30 ms at N = 100 against corio's 10 ms at N = 100, not its 20 ms at
        # N = 100,000; go ran no N corio ran, so it has no sleep_fanout ratio.
        self.assertIn("py_asyncio against corio, same run (its figure, then its figure over "
                      "corio's): sleep_fanout, wall time of N sleeps of 10 ms 30 ms (3.0x).",
                      found)
        self.assertNotIn("1.5x", found)
        self.assertNotIn("go against corio", found)

    def test_uvloop_against_asyncio_only_when_both_ran(self) -> None:
        both = text(self.langs(
            ("runtime/spawn/corio/tasks:100000", 2.0, {"items_per_second": 5e7}),
            ("runtime/spawn/py_asyncio/tasks:20000", 200.0, {"items_per_second": 1e5}),
            ("runtime/spawn/py_uvloop/tasks:20000", 140.0, {"items_per_second": 1.5e5})))
        self.assertIn("py_uvloop against py_asyncio, the same code on another loop (py_uvloop's "
                      "figure over py_asyncio's): spawn+join 1.5x less.", both)
        alone = text(self.langs(
            ("runtime/spawn/corio/tasks:100000", 2.0, {"items_per_second": 5e7}),
            ("runtime/spawn/py_uvloop/tasks:20000", 140.0, {"items_per_second": 1.5e5})))
        self.assertNotIn("py_uvloop against py_asyncio", alone)

    def test_nothing_to_say_without_another_language(self) -> None:
        from corio_plots import languages

        self.assertIsNone(languages.compute(run(
            ("runtime/spawn/corio/tasks:100000", 2.0, {"items_per_second": 5e7}),
            ("runtime/spawn/asio/tasks:100000", 40.0, {"items_per_second": 2.5e6}))))
