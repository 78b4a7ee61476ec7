"""The counter contract between the workloads (C++) and the plots (Python).

This module is the one place that names the counters a workload reports besides its time.
plots/README.md documents the same table for workload authors; a test checks that every
name here appears there. A workload may report more counters (they show up in its report
table); the charts read only these.

Counters are Google Benchmark user counters: top-level numeric keys of a benchmark's JSON
entry. A counter is the value for one run of the workload (the harness averages it over the
iterations of a repetition); repetitions give it mean/median/stddev/cv aggregate rows like the
time.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- Every benchmark may carry these -------------------------------------------------------
CTX_VOLUNTARY = "ctx_voluntary"  # voluntary context switches during the run (getrusage)
CTX_INVOLUNTARY = "ctx_involuntary"  # involuntary (pre-empted) context switches
PEAK_RSS_BYTES = "peak_rss_bytes"  # peak resident set size of the process measured, bytes

# --- Rates ---------------------------------------------------------------------------------
# Google Benchmark's own counter from SetItemsProcessed(); ns per operation = 1e9 / this.
ITEMS_PER_SECOND = "items_per_second"
REQUESTS_PER_SECOND = "requests_per_second"  # completed requests per second of wall time
# A counter whose name ends so is a rate: it must be above 0 in a run that passed its check.
RATE_SUFFIXES: tuple[str, ...] = ("_per_second", "_rps")

# --- Memory --------------------------------------------------------------------------------
BYTES_PER_TASK = "bytes_per_task"  # RSS growth per live idle task (or thread), bytes
SERVER_RSS_BYTES = "server_rss_bytes"  # peak RSS of the server process itself, bytes
CLIENT_RSS_BYTES = "client_rss_bytes"  # growth of the client process's peak RSS in the run, bytes
# io/idle_connections: growth of the server's VmRSS with N idle keep-alive connections, over N
BYTES_PER_CONNECTION = "bytes_per_connection"

# --- Time ----------------------------------------------------------------------------------
# runtime/timers: from the model's entry until the last task woke, minus the sleep D, ms:
# creating the timers, firing them and their lateness together (not a timer's lateness).
OVERSHOOT_MS = "overshoot_ms"
# runtime/timers: each timer's fire time minus its own deadline, percentiles over the timers.
TIMER_LATENESS_P50_US = "timer_lateness_p50_us"
TIMER_LATENESS_P99_US = "timer_lateness_p99_us"
TIMER_LATENESS_MAX_US = "timer_lateness_max_us"
TIMER_LATENESS_MIN_US = "timer_lateness_min_us"  # negative: a timer fired before its deadline
TIMERS_FIRED_EARLY = "timers_fired_early"
CREATION_NS_PER_TASK = "creation_ns_per_task"  # task_memory: creating one idle task
BYTES_PER_QUEUED_TASK = "bytes_per_queued_task"  # sleep_fanout thread_pool: one queued closure
OVERLAP = "overlap"  # sleep_fanout: N * D / wall; N for a perfectly concurrent model, 1 sequential

# Latency percentiles, microseconds.
LATENCY_P50_US = "latency_p50_us"
LATENCY_P90_US = "latency_p90_us"
LATENCY_P99_US = "latency_p99_us"
LATENCY_P999_US = "latency_p999_us"
LATENCY_MAX_US = "latency_max_us"
# io/idle_connections: connect, request and whole reply of a new client beside N idle ones.
NEW_CLIENT_P50_US = "new_client_p50_us"
NEW_CLIENT_P99_US = "new_client_p99_us"

# --- Errors and back-pressure --------------------------------------------------------------
ERRORS = "errors"  # failed requests (refused, reset, timed out), a count
QUEUE_FULL_STALLS = "queue_full_stalls"  # times a producer waited on a full queue
LITTLES_LAW_RPS = "littles_law_rps"  # concurrency_limit: min(L, C) / D, requests per second

# blocking_in_loop: latency CDF of the cheap requests, microseconds, one counter per point.
CDF_PERCENTILES: tuple[float, ...] = (1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.9)


def cdf_counter(percentile: float) -> str:
    """The counter holding a CDF point: 1 -> cdf_p1_us, 99.9 -> cdf_p99_9_us."""
    text = f"{percentile:g}".replace(".", "_")
    return f"cdf_p{text}_us"


CDF_COUNTERS: tuple[str, ...] = tuple(cdf_counter(p) for p in CDF_PERCENTILES)

# Every counter above with its unit and meaning (plots/README.md shows this table).
COUNTERS: dict[str, tuple[str, str]] = {
    ITEMS_PER_SECOND: ("1/s", "operations per second (SetItemsProcessed); ns per op = 1e9 / value"),
    REQUESTS_PER_SECOND: ("1/s", "completed requests per second of wall time (http_fanout: "
                                 "first request sent to last answer received, no set-up)"),
    BYTES_PER_TASK: ("bytes", "resident memory per live idle task (or thread)"),
    PEAK_RSS_BYTES: ("bytes", "peak resident set size of the measured process"),
    SERVER_RSS_BYTES: ("bytes", "peak resident set size of the server process itself"),
    CLIENT_RSS_BYTES: ("bytes", "growth of the client process's peak resident set size "
                                "during the run"),
    OVERSHOOT_MS: ("ms", "timers: from the model's entry until the last task woke, minus D "
                         "(creation + firing + lateness), not a timer's lateness"),
    TIMER_LATENESS_P50_US: ("µs", "timers: median of each timer's fire time minus its own "
                                  "deadline"),
    TIMER_LATENESS_P99_US: ("µs", "timers: 99th percentile of each timer's fire time minus its "
                                  "own deadline"),
    TIMER_LATENESS_MAX_US: ("µs", "timers: largest fire time minus own deadline"),
    TIMER_LATENESS_MIN_US: ("µs", "timers: smallest fire time minus own deadline (negative: "
                                  "a timer fired early)"),
    TIMERS_FIRED_EARLY: ("count", "timers: how many fired before their own deadline"),
    CREATION_NS_PER_TASK: ("ns", "task_memory: time to create one idle task (from the first "
                                 "allocation until all N wait, over N)"),
    BYTES_PER_QUEUED_TASK: ("bytes", "sleep_fanout thread_pool: malloc growth per submitted "
                                     "closure (not a sleeping task)"),
    OVERLAP: ("ratio", "N * D / wall time: how many sleeps overlapped"),
    LATENCY_P50_US: ("µs", "median request latency"),
    LATENCY_P90_US: ("µs", "90th percentile request latency"),
    LATENCY_P99_US: ("µs", "99th percentile request latency"),
    LATENCY_P999_US: ("µs", "99.9th percentile request latency"),
    LATENCY_MAX_US: ("µs", "largest request latency"),
    BYTES_PER_CONNECTION: ("bytes", "idle_connections: growth of the server's VmRSS with N "
                                    "idle keep-alive connections open, over N"),
    NEW_CLIENT_P50_US: ("µs", "idle_connections: median of a new client's connect, request and "
                              "reply beside the idle connections"),
    NEW_CLIENT_P99_US: ("µs", "idle_connections: 99th percentile of the same"),
    ERRORS: ("count", "failed requests (refused, reset, timed out)"),
    QUEUE_FULL_STALLS: ("count", "times a producer waited on a full queue"),
    LITTLES_LAW_RPS: ("1/s", "Little's-law throughput bound min(L, C) / D"),
    CTX_VOLUNTARY: ("count", "voluntary context switches (getrusage ru_nvcsw)"),
    CTX_INVOLUNTARY: ("count", "involuntary context switches (getrusage ru_nivcsw)"),
}
for _name in CDF_COUNTERS:
    COUNTERS[_name] = ("µs", "blocking_in_loop: latency of the cheap requests at this percentile")

# Counters that may be 0 or negative in a good run: growths (memory can shrink) and
# differences of two clocks. Every other counter above is never negative (a rate never 0 or
# less); load.py refuses a file that breaks this.
SIGNED_COUNTERS: frozenset[str] = frozenset({
    BYTES_PER_TASK, CLIENT_RSS_BYTES, OVERSHOOT_MS, TIMER_LATENESS_P50_US,
    TIMER_LATENESS_P99_US, TIMER_LATENESS_MAX_US, TIMER_LATENESS_MIN_US, TIMERS_FIRED_EARLY,
    BYTES_PER_QUEUED_TASK, BYTES_PER_CONNECTION,
})


def is_rate(counter: str) -> bool:
    """A rate counter (items_per_second, littles_law_rps, ...): above 0 in a good run."""
    return counter.endswith(RATE_SUFFIXES)

# --- Context keys corio-bench adds to Google Benchmark's "context" block --------------------
CONTEXT_PROFILE = "corio_profile"
CONTEXT_BUILD_TYPE = "corio_build_type"
CONTEXT_COMPILER = "corio_compiler"
CONTEXT_CXX_FLAGS = "corio_cxx_flags"
CONTEXT_BOOST_VERSION = "corio_boost_version"
CONTEXT_LIBUV_VERSION = "corio_libuv_version"
CONTEXT_BENCHMARK_VERSION = "corio_benchmark_version"

# --- Models --------------------------------------------------------------------------------
MODELS: tuple[str, ...] = (
    "sequential", "corio", "corio_mt", "threads", "thread_pool", "processes",
    "asio", "asio_mt", "libuv",
    # The models in other languages, run as child processes (harness/external_model.hpp).
    "py_asyncio", "py_uvloop", "py_threads", "py_processes", "go", "go_mt", "tokio", "tokio_mt",
)
NGINX = "nginx"  # http_plaintext's outside reference
WRK_PREFIX = "wrk_"  # http_plaintext rows loaded by wrk instead of the suite's client: wrk_corio
SEQUENTIAL = "sequential"
CORIO = "corio"


def model_order(model: str) -> tuple[int, str]:
    """Sort key that keeps models in the order of MODELS, wrk rows and nginx after them."""
    if model in MODELS:
        return (MODELS.index(model), model)
    if model.startswith(WRK_PREFIX) and model[len(WRK_PREFIX):] in MODELS:
        return (len(MODELS) + MODELS.index(model[len(WRK_PREFIX):]), model)
    if model == NGINX:
        return (2 * len(MODELS), model)
    return (2 * len(MODELS) + 1, model)


# --- Workloads -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Workload:
    key: str  # group/workload
    title: str
    what: str  # one line: what it shows
    params: tuple[str, ...]  # parameter keys of its names
    counters: tuple[str, ...]  # counters the charts and findings read


WORKLOADS: tuple[Workload, ...] = (
    Workload("io/sleep_fanout", "Sleep fan-out",
             "N tasks each wait D ms; ideally the wall time is D when the waits overlap and "
             "N·D when they run one after another",
             ("tasks", "delay_ms"), (OVERLAP, PEAK_RSS_BYTES, BYTES_PER_TASK)),
    Workload("cpu/cpu_scaling", "CPU scaling",
             "a fixed amount of CPU work split over W workers: speed-up vs W",
             ("kernel", "workers"), (CTX_VOLUNTARY, CTX_INVOLUNTARY)),
    Workload("io/tcp_echo", "TCP echo",
             "request/response over loopback, one server per model, one shared load generator",
             ("conns", "size"),
             (REQUESTS_PER_SECOND, LATENCY_P50_US, LATENCY_P90_US, LATENCY_P99_US,
              LATENCY_P999_US, LATENCY_MAX_US, ERRORS, SERVER_RSS_BYTES)),
    Workload("io/http_plaintext", "HTTP plaintext",
             "keep-alive HTTP/1.1 'Hello, World!' per model; wrk_<model> rows loaded by wrk, "
             "nginx as the outside reference",
             ("conns",),
             (REQUESTS_PER_SECOND, LATENCY_P50_US, LATENCY_P90_US, LATENCY_P99_US,
              LATENCY_P999_US, LATENCY_MAX_US, ERRORS, SERVER_RSS_BYTES)),
    Workload("io/http_fanout", "HTTP fan-out",
             "R requests to a slow local API (D ms each) with at most L in flight; ranked by "
             "requests_per_second (first request to last answer) when the run reports it, "
             "else items_per_second (set-up included)",
             ("requests", "limit", "delay_ms"),
             (REQUESTS_PER_SECOND, ITEMS_PER_SECOND, QUEUE_FULL_STALLS)),
    Workload("io/pipeline", "Pipeline",
             "producer -> bounded queue -> K consumers: items/s and back-pressure",
             ("consumers",), (ITEMS_PER_SECOND, QUEUE_FULL_STALLS)),
    Workload("mixed/blocking_in_loop", "Blocking in the loop",
             "some handlers do CPU work or blocking calls inline, via to_thread or a pool: "
             "latency of the cheap requests",
             ("variant",),
             (REQUESTS_PER_SECOND, LATENCY_P50_US, LATENCY_P99_US, LATENCY_P999_US)
             + CDF_COUNTERS),
    Workload("limit/concurrency_limit", "Concurrency limit",
             "requests to a server of capacity C under client limit L: throughput, p99, errors "
             "and memory vs L; Little's law predicts min(L, C) / D, a knee at L = C",
             ("limit", "capacity", "delay_ms"),
             (REQUESTS_PER_SECOND, LATENCY_P50_US, LATENCY_P99_US, ERRORS, CLIENT_RSS_BYTES,
              LITTLES_LAW_RPS)),
    Workload("runtime/spawn", "Spawn + join", "cost of creating, running and joining a task",
             (), (ITEMS_PER_SECOND,)),
    Workload("runtime/switch", "Switch", "cost of one suspension and resumption",
             (), (ITEMS_PER_SECOND,)),
    Workload("runtime/gather", "Gather", "cost per child of gathering many tasks",
             (), (ITEMS_PER_SECOND,)),
    Workload("runtime/sync", "Wake-up", "cost of one wake-up through an event/semaphore/queue",
             (), (ITEMS_PER_SECOND,)),
    Workload("runtime/timers", "Timers",
             "N tasks sleep D: each timer's lateness past its own deadline, the overshoot "
             "(entry to last wake-up, minus D) and the memory of a task on a timer",
             (), (BYTES_PER_TASK, OVERSHOOT_MS, TIMER_LATENESS_P50_US, TIMER_LATENESS_P99_US,
                  TIMER_LATENESS_MAX_US, TIMER_LATENESS_MIN_US, TIMERS_FIRED_EARLY)),
    Workload("runtime/skynet", "Skynet", "1M tasks in a tree of 10 children each: total time",
             (), ()),
    Workload("runtime/task_memory", "Task memory", "resident bytes per idle task",
             (), (CREATION_NS_PER_TASK, BYTES_PER_TASK)),
)

WORKLOAD_BY_KEY: dict[str, Workload] = {w.key: w for w in WORKLOADS}

# Runtime workloads whose cost is ns per operation (1e9 / items_per_second; task_memory's
# creation_ns_per_task, which times only the creation), and the phrase a finding uses for one
# operation. skynet is measured by its total real time instead.
# runtime/timers is not among them: its runs wait out a sleep (sleep_ms), so its
# items_per_second is N / (sleep + overhead), not a cost; its figures are the timer_lateness_*
# counters (else overshoot_ms) and bytes_per_task.
RUNTIME_PER_OP: dict[str, str] = {
    "runtime/spawn": "spawn+join",
    "runtime/switch": "switch",
    "runtime/gather": "gather, per child",
    "runtime/sync": "wake-up",
    "runtime/task_memory": "idle task creation",
}
RUNTIME_TOTAL_TIME = "runtime/skynet"
RUNTIME_TIMERS = "runtime/timers"
