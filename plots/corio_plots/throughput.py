"""io/tcp_echo and io/http_plaintext: requests per second per model, with error bars.

Bars are grouped by parameter point (``conns:64 size:64``), one bar per model; a bar is the
median over repetitions and its error bar their min–max (none with a single repetition).
http_plaintext also has rows loaded by wrk (model ``wrk_<model>``, hatched bars) and nginx,
the outside reference. A model "served the most" only when its interval does not overlap the
next one's; overlapping models are within noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from corio_plots import colors, figure, schema
from corio_plots.load import Results
from corio_plots.stats import (Stat, errorbar, fmt_value, noise_groups, ranking_verdict,
                               within_noise)
from corio_plots.table import Table, stat_cell
from corio_plots.units import REQ, fmt_bytes, fmt_count, fmt_number, fmt_rate, fmt_us

KEYS = ("io/tcp_echo", "io/http_plaintext")
STEMS = {"io/tcp_echo": "tcp_echo_throughput", "io/http_plaintext": "http_plaintext_throughput"}


@dataclass(frozen=True)
class Bar:
    model: str
    point: str  # the parameters: "conns:64 size:64"
    rps_stat: Stat
    repetitions: int
    latency: dict[str, Stat]  # schema latency counter -> µs
    errors: Stat | None
    server_rss: Stat | None

    @property
    def rps(self) -> float:
        return self.rps_stat.median

    @property
    def latency_us(self) -> dict[str, float]:
        return {c: s.median for c, s in self.latency.items()}


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
        rps = m.stat(schema.REQUESTS_PER_SECOND)
        if rps is None:
            notes.append(f"{m.name.base}: no requests_per_second counter; not drawn")
            continue
        latency = {c: v for c in _LATENCIES if (v := m.stat(c)) is not None}
        bars.append(Bar(model=m.model, point=m.name.label or "default", rps_stat=rps,
                        repetitions=m.repetitions, latency=latency,
                        errors=m.stat(schema.ERRORS),
                        server_rss=m.stat(schema.SERVER_RSS_BYTES)))
    if not bars:
        return None
    return Throughput(key=key, bars=bars, notes=notes)


def _rate(bar: Bar) -> str:
    """'95,000 req/s (p99 900 µs)', '(unstable, p99 ...)' when the rate is unstable."""
    p99 = bar.latency.get(schema.LATENCY_P99_US)
    return fmt_value(bar.rps_stat, lambda v: fmt_rate(v, REQ),
                     f"p99 {fmt_us(p99.median)}" if p99 is not None else "")


def _ranking(workload: str, point: str, bars: list[Bar]) -> str:
    """The sentence ranking one parameter point's bars (sorted, best first)."""
    best = bars[0]
    if len(bars) == 1:
        return (f"{workload} at {point}: only {best.model} ran it, {_rate(best)}; "
                "nothing to rank.")
    top = next((g for g in noise_groups([(b.model, b.rps_stat) for b in bars])
                if best.model in g), None)
    if top:
        line = (f"{workload} at {point}: "
                + ", ".join(f"{b.model} {_rate(b)}" for b in bars if b.model in top)
                + " share the top within noise")
        rest_bars = [b for b in bars if b.model not in top]
    else:
        line = f"{workload} at {point}: {best.model} served the most, {_rate(best)}"
        rest_bars = bars[1:]
    rest = [f"{b.model} {_rate(b)}, "
            + ("within noise of it" if within_noise(b.rps_stat, best.rps_stat)
               else f"{b.rps / best.rps:.2f}x of it")
            for b in rest_bars]
    verdict = ranking_verdict([(b.model, b.rps_stat) for b in bars])
    return (line + ("; " + "; ".join(rest) if rest else "")
            + (f"; {verdict}" if verdict else "") + ".")


def findings(data: Throughput) -> list[str]:
    out: list[str] = []
    for point in data.points():
        bars = sorted((b for b in data.bars if b.point == point), key=lambda b: -b.rps)
        out.append(_ranking(data.workload, point, bars))
        for b in bars:
            if b.errors is not None and b.errors.hi > 0:
                count = (f"{fmt_count(b.errors.median)} failed requests (median; "
                         f"{fmt_count(b.errors.lo)} to {fmt_count(b.errors.hi)} over "
                         f"{b.errors.n} repetitions)" if b.errors.repeated
                         else f"{fmt_count(b.errors.median)} failed requests")
                out.append(f"{data.workload} at {point}: {b.model} had {count}.")
    return out


def table(data: Throughput) -> Table:
    t = Table(["model", "parameters", "requests/s", "p50", "p90", "p99", "p99.9", "max",
               "errors", "server RSS", "repetitions"])
    for point in data.points():
        for b in sorted((b for b in data.bars if b.point == point),
                        key=lambda b: schema.model_order(b.model)):
            t.add(b.model, point, stat_cell(b.rps_stat, lambda v: fmt_rate(v, REQ), True),
                  *[stat_cell(b.latency.get(c), fmt_us) for c in _LATENCIES],
                  stat_cell(b.errors, fmt_count), stat_cell(b.server_rss, fmt_bytes),
                  str(b.repetitions))
    return t


def draw(data: Throughput, out_dir: Path) -> list[Path]:
    fig, (ax,) = figure.new_figure()
    points, models = data.points(), data.models()
    width = 0.8 / len(models)
    x = np.arange(len(points))
    for i, model in enumerate(models):
        by_point = {b.point: b for b in data.bars if b.model == model}
        heights = [by_point[p].rps if p in by_point else 0.0 for p in points]
        yerr = errorbar([by_point[p].rps_stat if p in by_point else None for p in points])
        bars = ax.bar(x + (i - (len(models) - 1) / 2) * width, heights, width,
                      yerr=yerr, capsize=3, error_kw={"linewidth": 1},
                      **colors.bar_kwargs(model))
        # Above the error bar, so the label never sits on it.
        figure.label_bars(ax, bars, [fmt_number(h) if h else "" for h in heights],
                          above=yerr[1] if yerr else None)
    ax.set_xticks(x, points)
    ax.set_xlabel("parameters (conns = concurrent connections, size = message bytes)"
                  if data.key == "io/tcp_echo" else "parameters (conns = concurrent connections)")
    ax.set_ylabel("throughput (requests/s)")
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
    ax.set_title(f"{data.workload}: throughput per model\n"
                 f"({figure.bars_caption(b.rps_stat for b in data.bars)})")
    figure.legend_outside(ax)
    return figure.save(fig, out_dir, STEMS[data.key])
