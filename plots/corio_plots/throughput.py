"""io/tcp_echo and io/http_plaintext: requests per second against p99 latency per model.

The chart is a trade-off (Pareto) plot: one panel per connection count (a row of panels per
message size), each model a dot at (p99 latency, requests/s), up and left is better; the
dot is the median over repetitions and its error bars, both ways, their min–max (none with a
single repetition). A dotted line joins the frontier: the models no other model beats on both
axes beyond noise.
http_plaintext also has rows loaded by wrk (model ``wrk_<model>``, hatched bars) and nginx,
the outside reference. A model "served the most" only when its interval does not overlap the
next one's; overlapping models are within noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from corio_plots import colors, figure, schema
from corio_plots.load import Results
from corio_plots.stats import (Stat, errorbar, fmt_value, noise_groups, ranking_verdict,
                               within_noise)
from corio_plots.table import Table, stat_cell
from corio_plots.units import REQ, fmt_bytes, fmt_count, fmt_rate, fmt_us

KEYS = ("io/tcp_echo", "io/http_plaintext")
MAX_COLUMNS = 3  # connection counts drawn side by side; more are in the table only
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
    data = Throughput(key=key, bars=bars, notes=notes)
    conns = list(dict.fromkeys(c for _, c in panels(data)))
    if len(conns) > MAX_COLUMNS:
        notes.append(f"{key}: the chart shows {MAX_COLUMNS} connection counts "
                     f"({', '.join(conns[:MAX_COLUMNS])}); the others are in the table only")
    return data


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


def _params(point: str) -> dict[str, str]:
    return dict(part.partition(":")[::2] for part in point.split())


def panels(data: Throughput) -> list[tuple[str, str]]:
    """(row, column) keys of the chart's panels: a column per connection count, a row per
    setting of the other parameters (tcp_echo's message size)."""
    out = []
    for point in data.points():
        params = _params(point)
        conns = params.pop("conns", "")
        rest = " ".join(f"{k}:{v}" for k, v in params.items())
        out.append((rest, conns))
    return list(dict.fromkeys(out))


def _panel_point(data: Throughput, row: str, conns: str) -> str:
    for point in data.points():
        params = _params(point)
        c = params.pop("conns", "")
        if c == conns and " ".join(f"{k}:{v}" for k, v in params.items()) == row:
            return point
    return ""


def _p99(b: Bar) -> Stat | None:
    return b.latency.get(schema.LATENCY_P99_US)


def _beats(a: Bar, b: Bar) -> bool:
    """a is better than b on both axes beyond noise: more requests/s and a lower p99, each
    with min–max intervals apart (single samples: by their values)."""
    pa, pb = _p99(a), _p99(b)
    if pa is None or pb is None:
        return False
    return (a.rps_stat.lo > b.rps_stat.hi and pa.hi < pb.lo)


def frontier(bars: list[Bar]) -> list[Bar]:
    """The models no other model beats on both throughput and p99 beyond noise, by
    throughput, best first; among the suite's own client's rows only (wrk measures its own
    latency, so its rows are drawn but never compared with the others)."""
    with_p99 = [b for b in bars if _p99(b) is not None
                and not b.model.startswith(schema.WRK_PREFIX)]
    return sorted((b for b in with_p99 if not any(_beats(o, b) for o in with_p99 if o is not b)),
                  key=lambda b: -b.rps)


def shows(data: Throughput) -> str:
    """One line: what the chart shows, computed from its data."""
    parts = []
    for point in data.points():
        bars = [b for b in data.bars if b.point == point and _p99(b) is not None
                and not b.model.startswith(schema.WRK_PREFIX)]
        if not bars:
            continue
        front = frontier(bars)
        single = any(not b.rps_stat.repeated for b in bars)
        if len(front) == 1 and len(bars) > 1:
            parts.append(f"at {point} {front[0].model} beats every other model on both "
                         f"throughput and p99" + (" (single samples)" if single else
                                                  " beyond noise"))
        elif len(bars) > 1:
            top = max(bars, key=lambda b: b.rps)
            fast = min(bars, key=lambda b: _p99(b).median)  # type: ignore[union-attr]
            parts.append(f"at {point} no model is best on both: {len(front)} models on the "
                         f"frontier, {top.model} the most requests/s, {fast.model} the lowest "
                         "p99")
    if not parts:
        return (f"{data.workload}: requests/s per model; no run reports a p99, so no "
                "trade-off is drawn.")
    return (f"{data.workload}: throughput against p99 latency per model, up and left is "
            "better; " + "; ".join(parts) + ".")


def draw(data: Throughput, out_dir: Path) -> list[Path]:
    keys = panels(data)
    rows = list(dict.fromkeys(r for r, _ in keys))
    cols = list(dict.fromkeys(c for _, c in keys))[:MAX_COLUMNS]
    fig, axes = figure.new_figure(ncols=len(cols), nrows=len(rows),
                                  height_in=1.2 + 2.9 * len(rows))
    drawn: list[Bar] = []
    for r, row in enumerate(rows):
        for c, conns in enumerate(cols):
            ax = axes[r * len(cols) + c]
            point = _panel_point(data, row, conns)
            bars = [b for b in data.bars if b.point == point and _p99(b) is not None]
            no_p99 = sorted((b for b in data.bars if b.point == point and _p99(b) is None),
                            key=lambda b: schema.model_order(b.model))
            if not bars and no_p99:  # no latency in this run: requests/s per model alone
                drawn += no_p99
                for i, b in enumerate(no_p99):
                    ax.errorbar([i], [b.rps], yerr=errorbar([b.rps_stat]), capsize=3,
                                markersize=6, **colors.dot_kwargs(b.model))
                ax.set_xticks(range(len(no_p99)), [b.model for b in no_p99], rotation=30,
                              ha="right")
                ax.set_xlim(-0.5, len(no_p99) - 0.5)
                figure.log_axis(ax, "y", figure.stat_values(b.rps_stat for b in no_p99))
                ax.set_title(f"{point} (no p99 in this run)", fontsize=9)
                if c == 0:
                    ax.set_ylabel("requests/s (log)")
                continue
            if not bars:
                ax.set_visible(False)
                continue
            drawn += bars
            # p99 in ms, or in µs when every p99 of the panel is under 1 ms (short labels).
            unit, scale = ("ms", 1e-3) if max(
                _p99(b).hi for b in bars) >= 1e3 else ("µs", 1.0)  # type: ignore[union-attr]
            for b in sorted(bars, key=lambda b: schema.model_order(b.model)):
                p99 = _p99(b)
                assert p99 is not None
                ms = p99.scaled(scale)
                ax.errorbar([ms.median], [b.rps], xerr=errorbar([ms]),
                            yerr=errorbar([b.rps_stat]), capsize=2, markersize=6,
                            **colors.dot_kwargs(b.model))
            front = sorted(frontier(bars), key=lambda b: _p99(b).median)  # type: ignore
            if len(front) > 1:
                ax.plot([_p99(b).median * scale for b in front],  # type: ignore[union-attr]
                        [b.rps for b in front], color="#999999", linewidth=1, linestyle=":",
                        zorder=0, gid="reference", label="frontier (none better on both)")
            figure.log_axis(ax, "x", figure.stat_values([_p99(b) for b in bars], scale))
            figure.log_axis(ax, "y", figure.stat_values([b.rps_stat for b in bars]))
            title = (f"{fmt_count(float(conns))} connection" + ("" if conns == "1" else "s")
                     if conns.isdigit() else conns)
            if row:
                title += f", {row.replace('size:', 'size ')} B" if row.startswith(
                    "size:") else f", {row}"
            ax.set_title(title, fontsize=9)
            ax.set_xlabel(f"p99 latency ({unit}, log)")
            if c == 0:
                ax.set_ylabel("requests/s (log)")
    bottom = figure.legend_below(fig, axes, ncol=5)
    fig.suptitle(f"{data.workload}: throughput vs p99 latency per model (up and left is "
                 f"better)\n({figure.bars_caption(b.rps_stat for b in drawn)}, both axes)")
    return figure.save(fig, out_dir, STEMS[data.key], rect=(0, bottom, 1, 1))
