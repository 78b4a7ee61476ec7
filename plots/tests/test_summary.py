"""The summary: every answer on data where its claim holds and on data where it does not, the
decision table's shared ranks and its "use it when" clauses.

The true cases mostly use the valid fixture (3 repetitions); the false cases build small runs
in Google Benchmark's layout (fixtures.make_fixtures.Writer), as test_findings.py does.
"""

from __future__ import annotations

import unittest

from corio_plots import summary
from corio_plots.load import Results, load_results
from corio_plots.stats import Stat
from tests.fixtures.make_fixtures import CONTEXT, Writer
from tests.helpers import PARTIAL, VALID, load_rows

TIGHT = (0.99, 1.0, 1.01)
WIDE = (0.96, 1.0, 1.04)


def run(*benchmarks: tuple[str, float, dict[str, float]], reps: int = 3,
        jitter: tuple[float, ...] = TIGHT, failed: tuple[str, ...] = ()) -> Results:
    """Results holding each (name, real time in ms, counters); ``failed``: names of runs that
    failed their check."""
    w = Writer()
    for name, ms, counters in benchmarks:
        w.add(name, ms, "ms", counters, reps=reps, jitter=jitter)
    for name in failed:
        w.add(name, 0, "ms", {}, error="check failed: the OS refused thread 30001 of 100000")
    return load_rows(w, {**CONTEXT, "num_cpus": 2})


def sleeps(walls: dict[str, dict[int, float]], **kw: object) -> list[tuple[str, float, dict]]:
    return [(f"io/sleep_fanout/{model}/tasks:{n}/delay_ms:10", wall, {})
            for model, points in walls.items() for n, wall in points.items()]


class Fixture(unittest.TestCase):
    results: Results

    @classmethod
    def setUpClass(cls) -> None:
        cls.results = load_results(VALID)
        cls.cols = summary.columns(cls.results)
        cls.answers = {a.key: a.text for a in summary.answers(cls.results, cls.cols)}


class Threads(Fixture):
    def test_true_threads_stop_below_the_loops_largest_n(self) -> None:
        self.assertEqual(
            self.answers["threads"],
            "Threads stopped at N = 10,000 sleeps of 10 ms, the largest N they completed "
            "(180 ms; the suite runs them no further, see workloads/io/sleep_fanout/README.md "
            "for the OS limits), while corio finished 100,000 in 12 ms; at N = 10,000 a waiting "
            "thread held 10.2 KiB, a corio task 150 B (69x).")

    def test_true_a_failed_run_is_where_they_fell_over(self) -> None:
        r = run(*sleeps({"corio": {1000: 10.4, 100000: 12.0}, "threads": {1000: 25.0}}),
                failed=("io/sleep_fanout/threads/tasks:100000/delay_ms:10",))
        self.assertEqual(summary.answer_threads(r),
                         "Threads fell over at N = 100,000 (that run failed its check; 1,000 is "
                         "the largest N they completed, in 25 ms), while corio finished 100,000 "
                         "in 12 ms.")

    def test_memory_per_task_within_noise_is_said_so(self) -> None:
        r = run(*[(f"io/sleep_fanout/{m}/tasks:{n}/delay_ms:10", wall,
                   {"bytes_per_task": per_task})
                  for m, n, wall, per_task in (("corio", 1000, 10.4, 1000.0),
                                               ("corio", 100000, 12.0, 150.0),
                                               ("threads", 1000, 25.0, 1020.0))], jitter=WIDE)
        self.assertTrue((summary.answer_threads(r) or "").endswith(
            "; at N = 1,000 a waiting thread held 1,020 B, a corio task 1,000 B (within "
            "noise)."))

    def test_false_threads_completed_every_n(self) -> None:
        r = run(*sleeps({"corio": {1000: 10.4, 10000: 11.0}, "threads": {1000: 25.0,
                                                                         10000: 11.2}}),
                jitter=WIDE)
        self.assertEqual(summary.answer_threads(r),
                         "They did not fall over in this run: threads completed every N corio "
                         "did, up to 10,000 sleeps of 10 ms, in 11.2 ms against corio's 11 ms "
                         "(within noise).")

    def test_no_threads_no_answer(self) -> None:
        r = run(*sleeps({"corio": {1000: 10.4}}))
        self.assertIsNone(summary.answer_threads(r))
        texts = {a.key: a.text for a in summary.answers(r, summary.columns(r))}
        self.assertEqual(texts["threads"],
                         "Not answered: this run lacks the runs it needs (io/sleep_fanout).")


def cpu(speedups: dict[str, float], cores_w: int = 2) -> list[tuple[str, float, dict]]:
    rows = [("cpu/cpu_scaling/sequential/kernel:hash/workers:1", 1000.0, {})]
    rows += [(f"cpu/cpu_scaling/{m}/kernel:hash/workers:{cores_w}", 1000.0 / s, {})
             for m, s in speedups.items()]
    return rows


class PoolCpu(Fixture):
    def test_true_a_pool_beats_the_loop(self) -> None:
        self.assertEqual(
            self.answers["pool_cpu"],
            "On CPU work a pool beats a loop: at W = 2 on 2 cores (speed-up over sequential, "
            "geometric mean over fib, mandelbrot), corio_mt 1.94x against corio's 1.00x on one "
            "thread (1.9x faster): a loop runs one piece of CPU work at a time whatever W.")

    def test_false_within_noise(self) -> None:
        r = run(*cpu({"corio": 1.0, "thread_pool": 1.03}), jitter=WIDE)
        self.assertEqual(summary.answer_pool_cpu(r),
                         "On CPU work no pool beat the loop in this run: at W = 2 on 2 cores "
                         "(speed-up over sequential, geometric mean over hash), the best pool, "
                         "thread_pool 1.03x against corio's 1.00x (within noise).")

    def test_false_single_sample_says_so(self) -> None:
        r = run(*cpu({"corio": 1.0, "threads": 1.05}), reps=1)
        text = summary.answer_pool_cpu(r) or ""
        self.assertIn("no pool beat the loop", text)
        self.assertIn("single sample: not checked across repetitions", text)


class LoopWaits(Fixture):
    def test_true_the_loop_beats_the_pool(self) -> None:
        self.assertEqual(
            self.answers["loop_waits"],
            "On waits a loop beats a pool: 1,000 sleeps of 10 ms took thread_pool 1.68 s and "
            "corio 10.4 ms (162x longer for the pool): a pool of P blocking workers waits N / P "
            "times in a row, a loop overlaps all N waits.")

    def test_false_pool_as_fast(self) -> None:
        r = run(*sleeps({"corio": {10: 10.2}, "thread_pool": {10: 10.3}}), jitter=WIDE)
        self.assertEqual(summary.answer_loop_waits(r),
                         "On waits the loop did not beat the pool in this run: 10 sleeps of "
                         "10 ms took thread_pool 10.3 ms and corio 10.2 ms (within noise).")


def limit(rps: dict[str, float], p99_ms: dict[str, float]) -> list[tuple[str, float, dict]]:
    rows = []
    for lim in ("8", "16", "unlimited"):
        littles = min(16.0 if lim == "unlimited" else float(lim), 16.0) / 0.010
        rows.append((f"limit/concurrency_limit/corio/limit:{lim}/capacity:16/delay_ms:10",
                     100.0, {"requests_per_second": rps[lim], "latency_p99_us": p99_ms[lim] * 1e3,
                             "littles_law_rps": littles}))
    return rows


class Limit(Fixture):
    def test_true_the_limit_keeps_the_tail(self) -> None:
        self.assertEqual(
            self.answers["limit"],
            "Limiting concurrency to the server's capacity costs no throughput and keeps the "
            "tail: corio at L = C = 100 made 9,800 req/s with p99 10.5 ms; at L = unlimited "
            "9,700 req/s with p99 1.26 s (throughput 1% lower, p99 120x): past the knee a "
            "higher limit only queues.")

    def test_false_more_throughput_past_the_knee(self) -> None:
        r = run(*limit({"8": 780.0, "16": 1200.0, "unlimited": 1550.0},
                       {"8": 10.5, "16": 11.0, "unlimited": 40.0}))
        self.assertEqual(summary.answer_limit(r),
                         "In this run a limit above the server's capacity still bought "
                         "throughput: corio at L = C = 16 made 1,200 req/s with p99 11 ms; at "
                         "L = unlimited 1,550 req/s with p99 40 ms (1.3x the requests/s, more "
                         "than 10%).")

    def test_false_p99_does_not_grow(self) -> None:
        r = run(*limit({"8": 780.0, "16": 1550.0, "unlimited": 1560.0},
                       {"8": 10.5, "16": 11.0, "unlimited": 11.1}), jitter=WIDE)
        self.assertEqual(summary.answer_limit(r),
                         "In this run limiting concurrency bought nothing measurable: corio at "
                         "L = C = 16 made 1,550 req/s with p99 11 ms; at L = unlimited 1,560 "
                         "req/s with p99 11.1 ms (p99 within noise without the limit).")


def blocking(inline_p99: float, offload_p99: float, inline_exp: float,
             offload_exp: float) -> list[tuple[str, float, dict]]:
    rows = []
    for variant, p99, exp in (("inline", inline_p99, inline_exp),
                              ("offload", offload_p99, offload_exp)):
        rows.append((f"mixed/blocking_in_loop/corio/variant:{variant}/work:blocking/work_ms:5",
                     3000.0, {"latency_p99_us": p99, "latency_p50_us": 100.0,
                              "expensive_p50_us": exp, "requests_per_second": 1000.0}))
    return rows


class ToThread(Fixture):
    def test_true_offloading_lowers_the_tail_at_no_visible_cost(self) -> None:
        r = run(*blocking(4500.0, 900.0, 5300.0, 5550.0))
        self.assertEqual(summary.answer_to_thread(r),
                         "corio::to_thread took a 5 ms blocking call off the loop: the cheap "
                         "requests' p99 went from 4.5 ms inline to 900 µs (5.0x lower with "
                         "to_thread); the moved requests took 5.55 ms (p50) against 5.3 ms "
                         "inline, about the same (within 10%): the hand-off itself costs less "
                         "than this run can resolve.")
        r = run(*blocking(4500.0, 900.0, 5300.0, 5350.0))
        self.assertIn("took 5.35 ms (p50) against 5.3 ms inline, within noise: the hand-off",
                      summary.answer_to_thread(r) or "")

    def test_true_a_visible_cost(self) -> None:
        r = run(*blocking(4500.0, 900.0, 5300.0, 7000.0))
        self.assertIn("the moved requests paid for it: 7 ms (p50) against 5.3 ms inline, "
                      "1.7 ms more.", summary.answer_to_thread(r) or "")

    def test_false_offloading_did_not_lower_it(self) -> None:
        r = run(*blocking(4500.0, 4550.0, 5300.0, 5300.0), jitter=WIDE)
        self.assertTrue((summary.answer_to_thread(r) or "").startswith(
            "corio::to_thread did not lower the cheap requests' p99 in this run: 4.5 ms inline, "
            "4.55 ms offloaded, a 5 ms blocking call (within noise"))

    def test_fixture_without_the_expensive_counter_says_so(self) -> None:
        self.assertIn("the run does not report the moved requests' own latency",
                      self.answers["to_thread"])


class Noise(Fixture):
    def test_true_repetitions_tell_ranked_from_tied(self) -> None:
        self.assertEqual(
            self.answers["noise"],
            "16 of the table's 29 ranked figures hold their place across 3 repetitions (no "
            "min–max overlap); 9 share a rank within noise (written =N); 4 are single samples "
            "(N?); 1 headline figure is unstable (max - min above 10% of the median).")

    def test_false_single_samples(self) -> None:
        r = run(*sleeps({"corio": {100: 10.2}, "libuv": {100: 10.3}}), reps=1)
        self.assertEqual(summary.answer_noise(r, summary.columns(r)),
                         "None can be told from noise in this run: every rank of the table "
                         "above compares single samples (one repetition), so its 2 ranks follow "
                         "the medians alone; the full profile repeats each network, CPU, mixed and "
                         "limit benchmark 3 times (--repetitions N for more).")


class PartialRun(unittest.TestCase):
    def test_a_runtime_only_run_says_which_workload_would_answer(self) -> None:
        r = load_results(PARTIAL)
        cols = summary.columns(r)
        self.assertEqual([c.key for c in cols], ["runtime/spawn"])
        texts = {a.key: a.text for a in summary.answers(r, cols)}
        self.assertEqual(texts["limit"], "Not answered: this run lacks the runs it needs "
                                         "(limit/concurrency_limit).")
        self.assertEqual(texts["to_thread"], "Not answered: this run lacks the runs it needs "
                                             "(mixed/blocking_in_loop).")
        self.assertTrue(texts["noise"].startswith("None can be told from noise"))


class Ranks(unittest.TestCase):
    def column(self, stats: dict[str, Stat], higher: bool = True) -> summary.Column:
        c = summary.Column("io/x", "x", "x", higher, str)
        c.stats = stats
        return c

    def test_overlapping_models_share_a_rank(self) -> None:
        c = self.column({"a": Stat(100, 98, 102, 3), "b": Stat(90, 88, 92, 3),
                         "c": Stat(89, 87, 91, 3), "d": Stat(50, 49, 51, 3)})
        self.assertEqual({m: r.text for m, r in summary.ranks(c).items()},
                         {"a": "1", "b": "=2", "c": "=2", "d": "4"})

    def test_lower_is_better(self) -> None:
        c = self.column({"a": Stat(100, 98, 102, 3), "b": Stat(10, 9, 11, 3)}, higher=False)
        self.assertEqual({m: r.text for m, r in summary.ranks(c).items()}, {"b": "1", "a": "2"})

    def test_single_samples_are_marked(self) -> None:
        c = self.column({"a": Stat.single(2.0), "b": Stat.single(1.0)})
        self.assertEqual({m: r.text for m, r in summary.ranks(c).items()}, {"a": "1?", "b": "2?"})


class DecisionTable(Fixture):
    def test_one_row_per_model_and_a_column_per_headline(self) -> None:
        t = summary.decision_table(self.cols)
        self.assertEqual(t.headers[0], "model")
        self.assertEqual(t.headers[-1], "use it when")
        self.assertEqual([row[0] for row in t.rows],
                         ["sequential", "corio", "corio_mt", "threads", "thread_pool",
                          "processes", "asio", "asio_mt", "libuv", "nginx"])
        corio = dict(zip(t.headers, t.rows[1]))
        self.assertEqual(corio["sleeps: wall, N = 100,000"], "12 ms (1)")
        self.assertEqual(corio["TCP echo: req/s"], "95,000 (=2)")
        asio = dict(zip(t.headers, t.rows[6]))
        self.assertEqual(asio["sleeps: wall, N = 100,000"], "40 ms (3, unstable)")
        threads = dict(zip(t.headers, t.rows[3]))
        self.assertEqual(threads["sleeps: wall, N = 100,000"], "180 ms at N = 10,000")

    def test_use_when_backs_each_clause_with_the_row(self) -> None:
        self.assertEqual(summary.use_when("threads", self.cols),
                         "CPU work (1.93x at W = 2); not for many waits (stops at N = 10,000)")
        self.assertTrue(summary.use_when("corio", self.cols).startswith(
            "many waits (100,000: 12 ms)"))
        self.assertTrue(summary.use_when("corio", self.cols).endswith(
            "not for CPU work (1.00x at W = 2)"))

    def test_legend_defines_every_headline_once(self) -> None:
        legend = summary.legend(self.cols)
        for c in self.cols:
            self.assertEqual(legend.count(c.definition), 1, c.key)


if __name__ == "__main__":
    unittest.main()
