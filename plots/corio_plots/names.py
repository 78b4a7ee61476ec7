"""Parses corio-bench benchmark names.

A name reads ``group/workload/model/key:value/key:value``. Google Benchmark may append
segments of its own (``/real_time``, ``/manual_time``, ``/repeats:N``, ``/threads:N``,
``/iterations:N``, ``/min_time:X``, a bare number for an ``Arg``) and, for aggregate rows,
a suffix on the last segment (``_mean``, ``_median``, ``_stddev``, ``_cv``). The first three
segments are group, workload and model; every later ``key:value`` segment is looked up by
its key, never by its position.

    >>> n = parse_name("io/sleep_fanout/corio/tasks:1000/delay_ms:10/real_time_mean")
    >>> (n.workload, n.model, n.param("tasks"), n.aggregate)
    ('sleep_fanout', 'corio', '1000', 'mean')
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Segments Google Benchmark appends; they describe how a run was timed, not what it ran.
GB_FLAG_SEGMENTS = frozenset({"real_time", "manual_time", "process_time"})
GB_PARAM_KEYS = frozenset({"repeats", "threads", "iterations", "min_time", "min_warmup_time"})
GB_AGGREGATES = ("mean", "median", "stddev", "cv")


class BenchNameError(ValueError):
    """A name that does not start with group/workload/model."""


@dataclass(frozen=True)
class BenchName:
    group: str
    workload: str
    model: str
    params: tuple[tuple[str, str], ...] = ()
    # Google Benchmark's own segments (real_time, repeats:3, a bare Arg) kept for reference.
    gb_segments: tuple[str, ...] = ()
    aggregate: str | None = None
    plain_segments: tuple[str, ...] = field(default=())

    @property
    def key(self) -> str:
        """``group/workload``: the workload this run belongs to."""
        return f"{self.group}/{self.workload}"

    @property
    def base(self) -> str:
        """The name without Google Benchmark's additions: identifies one measurement."""
        parts = [self.group, self.workload, self.model]
        parts += [f"{k}:{v}" for k, v in self.params]
        parts += list(self.plain_segments)
        return "/".join(parts)

    @property
    def label(self) -> str:
        """The parameters alone, for a table cell or an axis tick: ``conns:64 size:64``."""
        return " ".join(f"{k}:{v}" for k, v in self.params)

    def param(self, key: str) -> str | None:
        for k, v in self.params:
            if k == key:
                return v
        return None

    def param_float(self, key: str) -> float | None:
        """The parameter as a number; None when absent or not numeric (e.g. ``unlimited``)."""
        value = self.param(key)
        if value is None:
            return None
        try:
            return float(value)
        except ValueError:
            return None

    def without(self, *keys: str) -> tuple[tuple[str, str], ...]:
        """The parameters minus ``keys``: groups runs that differ only in those keys."""
        return tuple((k, v) for k, v in self.params if k not in keys)


def strip_aggregate_suffix(name: str, aggregate_name: str | None = None) -> tuple[str, str | None]:
    """Removes ``_mean`` etc. from an aggregate row's name.

    With ``aggregate_name`` (the JSON field) only that suffix is removed. Without it, a known
    suffix is removed only from a last segment that is one of Google Benchmark's own or a
    ``key:value`` segment, so a model called ``x_mean`` in third position stays intact.
    """
    if aggregate_name:
        suffix = "_" + aggregate_name
        if name.endswith(suffix):
            return name[: -len(suffix)], aggregate_name
        return name, aggregate_name
    head, _, last = name.rpartition("/")
    if head.count("/") < 2:
        return name, None
    for agg in GB_AGGREGATES:
        suffix = "_" + agg
        if last.endswith(suffix):
            stem = last[: -len(suffix)]
            if stem in GB_FLAG_SEGMENTS or ":" in stem:
                return f"{head}/{stem}", agg
    return name, None


def parse_name(name: str, aggregate_name: str | None = None) -> BenchName:
    """Parses one benchmark name; raises BenchNameError if it has no group/workload/model."""
    stripped, aggregate = strip_aggregate_suffix(name, aggregate_name)
    segments = stripped.split("/")
    if len(segments) < 3 or not all(segments[:3]):
        raise BenchNameError(f"benchmark name {name!r} does not read group/workload/model/...")
    group, workload, model = segments[:3]
    params: list[tuple[str, str]] = []
    gb: list[str] = []
    plain: list[str] = []
    for segment in segments[3:]:
        key, sep, value = segment.partition(":")
        if segment in GB_FLAG_SEGMENTS or (sep and key in GB_PARAM_KEYS):
            gb.append(segment)
        elif sep:
            params.append((key, value))
        elif segment:
            # A bare number is a Google Benchmark Arg: part of the identity, not a key.
            plain.append(segment)
    return BenchName(
        group=group,
        workload=workload,
        model=model,
        params=tuple(params),
        gb_segments=tuple(gb),
        aggregate=aggregate,
        plain_segments=tuple(plain),
    )
