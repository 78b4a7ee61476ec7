"""names.parse_name: group/workload/model, key:value by key, Google Benchmark's additions."""

import unittest

from corio_plots.names import BenchNameError, parse_name, strip_aggregate_suffix


class ParseName(unittest.TestCase):
    def test_reads_group_workload_model_and_params_by_key(self) -> None:
        n = parse_name("io/tcp_echo/corio/conns:64/size:1024")
        self.assertEqual((n.group, n.workload, n.model), ("io", "tcp_echo", "corio"))
        self.assertEqual(n.param("size"), "1024")
        self.assertEqual(n.param_float("conns"), 64.0)
        self.assertIsNone(n.param("missing"))
        self.assertEqual(n.key, "io/tcp_echo")

    def test_real_time_suffix_is_not_a_parameter(self) -> None:
        n = parse_name("io/sleep_fanout/corio/tasks:1000/delay_ms:10/real_time")
        self.assertEqual(n.params, (("tasks", "1000"), ("delay_ms", "10")))
        self.assertEqual(n.gb_segments, ("real_time",))
        self.assertEqual(n.base, "io/sleep_fanout/corio/tasks:1000/delay_ms:10")

    def test_mean_suffix_is_stripped_from_an_aggregate(self) -> None:
        n = parse_name("io/sleep_fanout/corio/tasks:1000/delay_ms:10/real_time_mean")
        self.assertEqual(n.aggregate, "mean")
        self.assertEqual(n.param("delay_ms"), "10")
        self.assertEqual(n.base, "io/sleep_fanout/corio/tasks:1000/delay_ms:10")

    def test_suffix_on_a_parameter_when_there_is_no_real_time(self) -> None:
        n = parse_name("runtime/spawn/asio/tasks:100_stddev")
        self.assertEqual((n.aggregate, n.param("tasks")), ("stddev", "100"))

    def test_aggregate_name_field_decides(self) -> None:
        n = parse_name("runtime/spawn/corio/tasks:10/real_time_median", "median")
        self.assertEqual((n.aggregate, n.param("tasks")), ("median", "10"))

    def test_repeats_and_threads_are_google_benchmarks(self) -> None:
        n = parse_name("runtime/spawn/corio/tasks:100000/repeats:3/threads:1/real_time_cv")
        self.assertEqual(n.params, (("tasks", "100000"),))
        self.assertEqual(n.aggregate, "cv")
        self.assertEqual(n.base, "runtime/spawn/corio/tasks:100000")

    def test_order_of_parameters_does_not_matter(self) -> None:
        a = parse_name("limit/concurrency_limit/corio/limit:50/capacity:100/delay_ms:10")
        b = parse_name("limit/concurrency_limit/corio/delay_ms:10/capacity:100/limit:50")
        for key in ("limit", "capacity", "delay_ms"):
            self.assertEqual(a.param(key), b.param(key))

    def test_non_numeric_value_reads_as_none_number(self) -> None:
        n = parse_name("limit/concurrency_limit/threads/limit:unlimited/capacity:100")
        self.assertEqual(n.param("limit"), "unlimited")
        self.assertIsNone(n.param_float("limit"))

    def test_bare_arg_is_kept_in_the_identity(self) -> None:
        n = parse_name("runtime/spawn/corio/tasks:1000/1/real_time")
        self.assertEqual(n.plain_segments, ("1",))
        self.assertEqual(n.base, "runtime/spawn/corio/tasks:1000/1")

    def test_model_name_with_underscore_suffix_is_not_stripped(self) -> None:
        n = parse_name("io/http_plaintext/wrk_corio/conns:64")
        self.assertEqual(n.model, "wrk_corio")
        self.assertEqual(strip_aggregate_suffix("a/b/x_mean"), ("a/b/x_mean", None))

    def test_short_names_are_rejected(self) -> None:
        for bad in ("BM_Foo", "io/tcp_echo", "io//corio"):
            with self.subTest(bad=bad), self.assertRaises(BenchNameError):
                parse_name(bad)


if __name__ == "__main__":
    unittest.main()
