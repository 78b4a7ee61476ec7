"""io/http_fanout: throughput and p99 latency vs the concurrency limit L per model (the
Semaphore chart).

R requests go to a local API that answers each after D ms, with at most L in flight (an
asyncio.Semaphore(L) around each fetch). With no other bottleneck, L requests finish every D:
throughput follows L / D (the dashed line) until something else (the client, the server, the
connections) caps it; L = R (``limit:unlimited``) opens every request at once. Each finding
computes from the data where a model's throughput stopped growing (the smallest L within
SATURATION_TOLERANCE of its best) and what p99 did beyond that; the chart draws every model's
medians with their min–max error bars.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from corio_plots import colors, figure, generic, schema
from corio_plots.load import Results
from corio_plots.stats import Stat, errorbar, fmt_value, within_noise
from corio_plots.table import Table
from corio_plots.units import REQ, fmt_count, fmt_ms, fmt_rate, fmt_ratio, fmt_us

KEY = "io/http_fanout"
STEM = "http_fanout"
UNLIMITED = "unlimited"
# A throughput within this fraction of the model's best has "reached its plateau".
SATURATION_TOLERANCE = 0.10
# L / D is "followed" at a limit when the throughput is within this fraction of it.
IDEAL_TOLERANCE = 0.10
# A p99 that rose by more than this (and beyond noise) past the plateau "grew".
P99_TOLERANCE = 0.10


@dataclass(frozen=True)
class Point:
    model: str
    limit: float | None  # None: unlimited (L = R)
    requests: float
    delay_ms: float
    rps_stat: Stat  # requests_per_second, else items_per_second
    p50: Stat | None
    p99: Stat | None

    @property
    def in_flight(self) -> float:
        return self.requests if self.limit is None else min(self.limit, self.requests)

    @property
    def ideal_rps(self) -> float:
        """L / D: L requests finish every D when nothing else limits them."""
        return self.in_flight / (self.delay_ms / 1e3)

    @property
    def limit_label(self) -> str:
        return UNLIMITED if self.limit is None else fmt_count(self.limit)

    @property
    def rps(self) -> float:
        return self.rps_stat.median


@dataclass
class HttpFanout:
    points: list[Point]
    counter: str  # what throughput is: requests_per_second or items_per_second
    delay_ms: float
    table: Table | None = None
    ranking: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def models(self) -> list[str]:
        return sorted({p.model for p in self.points}, key=schema.model_order)

    def of(self, model: str) -> list[Point]:
        return sorted((p for p in self.points if p.model == model), key=_sort_key)


def _sort_key(p: Point) -> float:
    return float("inf") if p.limit is None else p.limit


def compute(results: Results) -> HttpFanout | None:
    counter = generic.ranked_counter(results, KEY)
    if counter is None:
        return None
    points: list[Point] = []
    notes = list(generic.ranking_notes(results, KEY, counter))
    for m in results.ok_measurements(KEY):
        raw = m.name.param("limit")
        limit = m.name.param_float("limit")
        requests, delay = m.name.param_float("requests"), m.name.param_float("delay_ms")
        rps = m.stat(counter)
        if rps is None or requests is None or delay is None or delay <= 0 or (
                limit is None and raw != UNLIMITED):
            continue
        points.append(Point(model=m.model, limit=limit, requests=requests, delay_ms=delay,
                            rps_stat=rps, p50=m.stat(schema.LATENCY_P50_US),
                            p99=m.stat(schema.LATENCY_P99_US)))
    if not points:
        return None
    delays = sorted({p.delay_ms for p in points})
    delay = max(delays, key=lambda d: sum(p.delay_ms == d for p in points))
    if len(delays) > 1:
        notes.append(f"{KEY}: the chart shows D = {fmt_ms(delay)}; other delays are in the "
                     "table only")
    return HttpFanout(points=[p for p in points if p.delay_ms == delay], counter=counter,
                      delay_ms=delay, table=generic.table(results, KEY),
                      ranking=generic.ranking_findings(results, KEY, counter, "requests"),
                      notes=notes)


def plateau(points: list[Point]) -> Point | None:
    """The smallest L whose throughput is within SATURATION_TOLERANCE of the model's best:
    where raising the limit stopped paying. None with fewer than two limits."""
    if len(points) < 2:
        return None
    best = max(points, key=lambda p: p.rps)
    return next(p for p in points if p.rps >= best.rps * (1 - SATURATION_TOLERANCE)
                or within_noise(p.rps_stat, best.rps_stat))


def _rate(p: Point) -> str:
    return fmt_value(p.rps_stat, lambda v: fmt_rate(v, REQ))


def model_findings(data: HttpFanout, model: str) -> list[str]:
    pts = data.of(model)
    out: list[str] = []
    if len(pts) < 2:
        if pts:
            p = pts[0]
            out.append(f"{model}: one limit only, L = {p.limit_label}: {_rate(p)} (L / D = "
                       f"{fmt_rate(p.ideal_rps, REQ)}).")
        return out
    pct = f"{IDEAL_TOLERANCE * 100:.0f}%"
    knee = plateau(pts)
    assert knee is not None
    best = max(pts, key=lambda p: p.rps)
    followed: list[Point] = []
    for p in pts:  # the limits, from the smallest, up to the first that misses L / D
        if abs(p.rps / p.ideal_rps - 1) > IDEAL_TOLERANCE:
            break
        followed.append(p)
    if followed:
        head = (f"{model}: throughput follows L / D within {pct} up to L = "
                f"{followed[-1].limit_label} ({_rate(followed[-1])})")
    else:
        first = pts[0]
        head = (f"{model}: throughput is more than {pct} off L / D from the smallest limit on "
                f"({_rate(first)} at L = {first.limit_label}, predicted "
                f"{fmt_rate(first.ideal_rps, REQ)})")
    if knee is pts[-1]:
        head += (f"; it still grew at the largest limit, L = {knee.limit_label} "
                 f"({_rate(knee)}): no plateau within the limits run")
    else:
        head += (f"; it stops growing at L = {knee.limit_label} ({_rate(knee)}, within "
                 f"{SATURATION_TOLERANCE * 100:.0f}% or noise of its best, {_rate(best)} at "
                 f"L = {best.limit_label})")
    out.append(head + ".")
    last = pts[-1]
    if knee is not last and knee.p99 is not None and last.p99 is not None:
        a, b = knee.p99, last.p99
        span = (f"{fmt_value(a, fmt_us)} at L = {knee.limit_label}, {fmt_value(b, fmt_us)} at "
                f"L = {last.limit_label}")
        ratio = b.median / a.median if a.median > 0 else float("inf")
        if within_noise(a, b) or abs(ratio - 1) <= P99_TOLERANCE:
            out.append(f"{model}: past the plateau p99 stays within noise or "
                       f"{P99_TOLERANCE * 100:.0f}% ({span}).")
        elif ratio > 1:
            out.append(f"{model}: past the plateau p99 grows {fmt_ratio(ratio)} ({span}): the "
                       "extra requests in flight wait instead of finishing sooner.")
        else:
            out.append(f"{model}: past the plateau p99 falls {fmt_ratio(1 / ratio)} ({span}).")
    return out


def findings(data: HttpFanout) -> list[str]:
    out = []
    for model in data.models():
        out += model_findings(data, model)
    return out + data.ranking


def shows(data: HttpFanout) -> str:
    """One line: what the chart shows, computed from its data."""
    knees = []
    for model in data.models():
        knee = plateau(data.of(model))
        if knee is not None:
            knees.append((model, knee))
    text = (f"What a Semaphore(L) buys: {data.counter.replace('_', ' ')} vs the limit L, "
            f"against L / D (D = {fmt_ms(data.delay_ms)})")
    growing = [model for model, knee in knees if knee is data.of(model)[-1]]
    knees = [(model, knee) for model, knee in knees if model not in growing]
    if knees:
        groups: dict[str, list[str]] = {}
        for model, knee in knees:
            groups.setdefault(knee.limit_label, []).append(model)
        text += "; throughput stops growing (within 10% or noise of its best) at " + "; ".join(
            f"L = {label} for {', '.join(models)}" for label, models in
            sorted(groups.items(), key=lambda kv: float("inf") if kv[0] == UNLIMITED
                   else float(kv[0].replace(",", ""))))
    if growing:
        text += f"; still growing at the largest limit: {', '.join(growing)}"
    return text + "."


def table(data: HttpFanout) -> Table:
    assert data.table is not None
    return data.table


def _x(points: list[Point]) -> tuple[dict[str, float], list[float], list[str]]:
    finite = sorted({p.limit for p in points if p.limit is not None})
    top = finite[-1] if finite else 1.0
    xs = {fmt_count(v): v for v in finite}
    if any(p.limit is None for p in points):
        xs[UNLIMITED] = top * 4
    ticks = sorted(xs.values())
    return xs, ticks, ["∞" if x == xs.get(UNLIMITED) else fmt_count(x) for x in ticks]


def draw(data: HttpFanout, out_dir: Path) -> list[Path]:
    fig, (ax_rps, ax_p99) = figure.new_figure(ncols=2, height_in=5.2)
    xs, ticks, labels = _x(data.points)
    ideal = sorted({(xs[p.limit_label], p.ideal_rps) for p in data.points})
    ax_rps.plot([x for x, _ in ideal], [y for _, y in ideal], linestyle="--", color="black",
                linewidth=1, label="L / D (no other limit)")
    rps_values: list[float] = []
    p99_values: list[float] = []
    for model in data.models():
        pts = data.of(model)
        x = [xs[p.limit_label] for p in pts]
        ax_rps.errorbar(x, [p.rps for p in pts], yerr=errorbar([p.rps_stat for p in pts]),
                        capsize=3, markersize=5, **colors.line_kwargs(model))
        rps_values += figure.stat_values(p.rps_stat for p in pts)
        with_p99 = [(xx, p.p99.scaled(1e-3)) for xx, p in zip(x, pts) if p.p99 is not None]
        if with_p99:
            ax_p99.errorbar([a for a, _ in with_p99], [b.median for _, b in with_p99],
                            yerr=errorbar([b for _, b in with_p99]), capsize=3, markersize=5,
                            **colors.line_kwargs(model))
            p99_values += figure.stat_values(b for _, b in with_p99)
    for ax in (ax_rps, ax_p99):
        ax.set_xscale("log")
        ax.set_xticks(ticks, labels)
        ax.minorticks_off()
        ax.set_xlim(ticks[0] / 1.6, ticks[-1] * 1.6)
        ax.set_xlabel("concurrency limit L (log; ∞ = all R at once)")
    figure.log_axis(ax_rps, "y", rps_values)
    ax_rps.set_ylabel(("requests/s" if data.counter == schema.REQUESTS_PER_SECOND
                       else "items/s (set-up included)") + " (log)")
    ax_rps.set_title("throughput vs L", fontsize=9)
    if p99_values:
        figure.log_axis(ax_p99, "y", p99_values)
        ax_p99.set_ylabel("p99 latency (ms, log)")
        ax_p99.set_title("p99 latency vs L", fontsize=9)
    else:
        ax_p99.set_visible(False)
    bottom = figure.legend_below(fig, [ax_rps, ax_p99], ncol=5)
    fig.suptitle(f"http_fanout: R requests to an API answering after D = "
                 f"{fmt_ms(data.delay_ms)}, at most L in flight\n"
                 f"({figure.bars_caption(p.rps_stat for p in data.points)})")
    return figure.save(fig, out_dir, STEM, rect=(0, bottom, 1, 1))
