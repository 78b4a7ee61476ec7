"""io/tcp_echo and io/http_plaintext: requests per second per model, with error bars.

Bars are grouped by parameter point (``conns:64 size:64``), one bar per model; an error bar
is the standard deviation over repetitions (Google Benchmark's stddev aggregate, or the spread
of the iteration rows), absent with a single repetition. http_plaintext also has rows loaded
by wrk (model ``wrk_<model>``, hatched bars) and nginx, the outside reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from corio_plots import colors, figure, schema
from corio_plots.load import Results
from corio_plots.table import Table, dash
from corio_plots.units import REQ, fmt_bytes, fmt_count, fmt_number, fmt_rate, fmt_us

KEYS = ("io/tcp_echo", "io/http_plaintext")
STEMS = {"io/tcp_echo": "tcp_echo_throughput", "io/http_plaintext": "http_plaintext_throughput"}


@dataclass(frozen=True)
class Bar:
    model: str
    point: str  # the parameters: "conns:64 size:64"
    rps: float
    rps_sd: float | None
    repetitions: int
    latency_us: dict[str, float]  # schema latency counter -> µs
    errors: float | None
    server_rss_bytes: float | None


@dataclass
class Throughput:
    key: str
    bars: list[Bar]
    notes: list[str] = field(default_factory=list)

    @property
    def workload(self) -> str:
        return self.key.split("/", 1)[1]

    def points(self) -> list[str]:
        return list(dict.fromkeys(b.point for b in self.bars))

    def models(self) -> list[str]:
        return sorted({b.model for b in self.bars}, key=schema.model_order)


_LATENCIES = (schema.LATENCY_P50_US, schema.LATENCY_P90_US, schema.LATENCY_P99_US,
              schema.LATENCY_P999_US, schema.LATENCY_MAX_US)


def compute(results: Results, key: str) -> Throughput | None:
    bars: list[Bar] = []
    notes: list[str] = []
    for m in results.ok_measurements(key):
        rps = m.value(schema.REQUESTS_PER_SECOND)
        if rps is None:
            notes.append(f"{m.name.base}: no requests_per_second counter; not drawn")
            continue
        latency = {c: v for c in _LATENCIES if (v := m.value(c)) is not None}
        bars.append(Bar(model=m.model, point=m.name.label or "default", rps=rps,
                        rps_sd=m.spread(schema.REQUESTS_PER_SECOND), repetitions=m.repetitions,
                        latency_us=latency, errors=m.value(schema.ERRORS),
                        server_rss_bytes=m.value(schema.SERVER_RSS_BYTES)))
    if not bars:
        return None
    return Throughput(key=key, bars=bars, notes=notes)


def _p99(bar: Bar) -> str:
    p99 = bar.latency_us.get(schema.LATENCY_P99_US)
    return f" (p99 {fmt_us(p99)})" if p99 is not None else ""


def findings(data: Throughput) -> list[str]:
    out: list[str] = []
    for point in data.points():
        bars = sorted((b for b in data.bars if b.point == point), key=lambda b: -b.rps)
        best = bars[0]
        line = (f"{data.workload} at {point}: {best.model} served the most, "
                f"{fmt_rate(best.rps, REQ)}{_p99(best)}")
        rest = [f"{b.model} {fmt_rate(b.rps, REQ)}{_p99(b)}, {b.rps / best.rps:.2f}x of it"
                for b in bars[1:]]
        out.append(line + ("; " + "; ".join(rest) if rest else "") + ".")
        for b in bars:
            if b.errors:
                out.append(f"{data.workload} at {point}: {b.model} had "
                           f"{fmt_count(b.errors)} failed requests.")
    return out


def table(data: Throughput) -> Table:
    t = Table(["model", "parameters", "requests/s", "p50", "p90", "p99", "p99.9", "max",
               "errors", "server RSS", "repetitions"])
    for point in data.points():
        for b in sorted((b for b in data.bars if b.point == point),
                        key=lambda b: schema.model_order(b.model)):
            rate = fmt_rate(b.rps, REQ) + (f" ± {fmt_rate(b.rps_sd, REQ)}" if b.rps_sd else "")
            lat = [fmt_us(b.latency_us[c]) if c in b.latency_us else dash(None)
                   for c in _LATENCIES]
            t.add(b.model, point, rate, *lat,
                  fmt_count(b.errors) if b.errors is not None else dash(None),
                  fmt_bytes(b.server_rss_bytes) if b.server_rss_bytes is not None else dash(None),
                  str(b.repetitions))
    return t


class _Raised:
    """A bar seen as tall as its top plus its error bar, for placing its value label."""

    def __init__(self, bar: Any, err: float) -> None:
        self._bar, self._err = bar, err

    def get_x(self) -> float:
        return float(self._bar.get_x())

    def get_width(self) -> float:
        return float(self._bar.get_width())

    def get_height(self) -> float:
        return float(self._bar.get_height()) + self._err


def draw(data: Throughput, out_dir: Path) -> list[Path]:
    fig, (ax,) = figure.new_figure()
    points, models = data.points(), data.models()
    width = 0.8 / len(models)
    x = np.arange(len(points))
    for i, model in enumerate(models):
        by_point = {b.point: b for b in data.bars if b.model == model}
        heights = [by_point[p].rps if p in by_point else 0.0 for p in points]
        errs = [(by_point[p].rps_sd or 0.0) if p in by_point else 0.0 for p in points]
        bars = ax.bar(x + (i - (len(models) - 1) / 2) * width, heights, width,
                      yerr=errs if any(errs) else None, capsize=3, error_kw={"linewidth": 1},
                      **colors.bar_kwargs(model))
        # Above the error bar, so the label never sits on it.
        figure.label_bars(ax, [_Raised(b, e) for b, e in zip(bars, errs)],
                          [fmt_number(h) if h else "" for h in heights])
    ax.set_xticks(x, points)
    ax.set_xlabel("parameters (conns = concurrent connections, size = message bytes)"
                  if data.key == "io/tcp_echo" else "parameters (conns = concurrent connections)")
    ax.set_ylabel("throughput (requests/s)")
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
    ax.set_title(f"{data.workload}: throughput per model (error bars: ±1 stddev over "
                 "repetitions)")
    figure.legend_outside(ax)
    return figure.save(fig, out_dir, STEMS[data.key])
