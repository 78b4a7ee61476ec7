"""limit/concurrency_limit: throughput and p99 latency vs the client's concurrency limit L.

R requests go to a server that serves at most C at once, each taking D ms. Little's law says
throughput = in-flight / latency, so it grows as L / D until L reaches C and stays at C / D
beyond: past the knee, a higher limit only queues requests, p99 grows with L and memory with
the queue. ``limit:unlimited`` is drawn right of the largest finite L.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from corio_plots import colors, figure, schema
from corio_plots.load import Results
from corio_plots.table import Table, dash
from corio_plots.units import REQ, fmt_bytes, fmt_count, fmt_ms, fmt_rate, fmt_us

KEY = "limit/concurrency_limit"
STEM = "concurrency_limit"
UNLIMITED = "unlimited"


@dataclass(frozen=True)
class Point:
    model: str
    limit: float | None  # None for "unlimited"
    capacity: float
    delay_ms: float
    rps: float
    rps_sd: float | None
    p50_us: float | None
    p99_us: float | None
    errors: float | None
    client_rss_bytes: float | None
    littles_rps: float
    # The server's 503 mode (answers 503 beyond this many waiting); None: an unbounded queue.
    queue_bound: float | None = None

    @property
    def limit_label(self) -> str:
        return UNLIMITED if self.limit is None else fmt_count(self.limit)


@dataclass
class ConcurrencyLimit:
    points: list[Point]  # those of the drawn (capacity, delay) setting
    capacity: float
    delay_ms: float
    other_settings: list[Point] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def littles_law_rps(limit: float | None, capacity: float, delay_ms: float) -> float:
    """Throughput Little's law allows: min(L, C) in flight, each for D ms."""
    in_flight = capacity if limit is None else min(limit, capacity)
    return in_flight / (delay_ms / 1e3)


def compute(results: Results) -> ConcurrencyLimit | None:
    points: list[Point] = []
    notes: list[str] = []
    for m in results.ok_measurements(KEY):
        cap, delay = m.name.param_float("capacity"), m.name.param_float("delay_ms")
        raw_limit = m.name.param("limit")
        limit = m.name.param_float("limit")
        rps = m.value(schema.REQUESTS_PER_SECOND)
        if cap is None or delay is None or raw_limit is None or rps is None or (
                limit is None and raw_limit != UNLIMITED):
            notes.append(f"{m.name.base}: lacks limit/capacity/delay_ms or requests_per_second;"
                         " not drawn")
            continue
        littles = m.value(schema.LITTLES_LAW_RPS) or littles_law_rps(limit, cap, delay)
        points.append(Point(
            model=m.model, limit=limit, capacity=cap, delay_ms=delay, rps=rps,
            rps_sd=m.spread(schema.REQUESTS_PER_SECOND),
            p50_us=m.value(schema.LATENCY_P50_US), p99_us=m.value(schema.LATENCY_P99_US),
            errors=m.value(schema.ERRORS), client_rss_bytes=m.value(schema.CLIENT_RSS_BYTES),
            littles_rps=littles, queue_bound=m.name.param_float("queue_bound") or None))
    if not points:
        return None
    # A sweep is one (capacity, delay, queue bound) setting; the 503 mode is its own setting,
    # so its rejections never read as the unbounded sweep's last point.
    settings: dict[tuple[float, float, float | None], list[Point]] = {}
    for p in points:
        settings.setdefault((p.capacity, p.delay_ms, p.queue_bound), []).append(p)
    unbounded = {k: v for k, v in settings.items() if k[2] is None} or settings
    (cap, delay, bound), drawn = max(unbounded.items(), key=lambda kv: len(kv[1]))
    others = [p for p in points if (p.capacity, p.delay_ms, p.queue_bound) != (cap, delay, bound)]
    if others:
        notes.append(f"the chart shows C = {fmt_count(cap)}, D = {fmt_ms(delay)} with an "
                     "unbounded server queue; other settings (such as the 503 mode's queue "
                     "bound) are in the table only")
    return ConcurrencyLimit(points=drawn, capacity=cap, delay_ms=delay, other_settings=others,
                            notes=notes)


def _sort_key(p: Point) -> float:
    return float("inf") if p.limit is None else p.limit


def findings(data: ConcurrencyLimit) -> list[str]:
    out: list[str] = []
    cap, delay = data.capacity, data.delay_ms
    ceiling = littles_law_rps(None, cap, delay)
    for model in sorted({p.model for p in data.points}, key=schema.model_order):
        mine = sorted((p for p in data.points if p.model == model), key=_sort_key)
        below = [p for p in mine if p.limit is not None and p.limit < cap]
        at_knee = [p for p in mine if p.limit is not None and p.limit >= cap]
        above = [p for p in mine if p.limit is None or p.limit > cap]
        if below:
            p = below[-1]
            out.append(f"{model}: below the knee throughput follows Little's law: "
                       f"{fmt_rate(p.rps, REQ)} at L = {p.limit_label} (predicted "
                       f"{fmt_rate(p.littles_rps, REQ)} = L / D).")
        if at_knee and above:
            knee, last = at_knee[0], above[-1]
            p99_growth = ""
            if knee.p99_us is not None and last.p99_us is not None:
                p99_growth = (f" while p99 grows from {fmt_us(knee.p99_us)} at L = "
                              f"{knee.limit_label} to {fmt_us(last.p99_us)} at L = "
                              f"{last.limit_label}")
            out.append(f"{model}: above L = C = {fmt_count(cap)} the throughput stays near "
                       f"C / D = {fmt_rate(ceiling, REQ)} ({fmt_rate(last.rps, REQ)} at L = "
                       f"{last.limit_label}){p99_growth}.")
        failing = [p for p in mine if p.errors]
        if failing:
            worst = max(failing, key=lambda p: p.errors or 0.0)
            first_fail = min(_sort_key(p) for p in failing)
            clean = [p.limit for p in mine
                     if not p.errors and p.limit is not None and p.limit < first_fail]
            tail = f"; none at L ≤ {fmt_count(max(clean))}" if clean else ""
            out.append(f"{model}: {fmt_count(worst.errors or 0.0)} failed requests at L = "
                       f"{worst.limit_label}{tail}.")
        rss = [p for p in mine if p.client_rss_bytes is not None]
        if len(rss) >= 2 and rss[-1].client_rss_bytes and rss[0].client_rss_bytes:
            out.append(f"{model}: client memory {fmt_bytes(rss[0].client_rss_bytes)} at L = "
                       f"{rss[0].limit_label}, {fmt_bytes(rss[-1].client_rss_bytes)} at L = "
                       f"{rss[-1].limit_label}.")
    return out


def table(data: ConcurrencyLimit) -> Table:
    t = Table(["model", "limit L", "capacity C", "delay D", "queue bound", "requests/s",
               "Little's law", "p50", "p99", "errors", "client RSS"])
    for p in sorted(data.points + data.other_settings,
                    key=lambda p: (p.capacity, p.delay_ms, p.queue_bound or 0.0,
                                   schema.model_order(p.model), _sort_key(p))):
        rate = fmt_rate(p.rps, REQ) + (f" ± {fmt_rate(p.rps_sd, REQ)}" if p.rps_sd else "")
        bound = "none" if p.queue_bound is None else f"{fmt_count(p.queue_bound)} (then 503)"
        t.add(p.model, p.limit_label, fmt_count(p.capacity), fmt_ms(p.delay_ms), bound, rate,
              fmt_rate(p.littles_rps, REQ),
              fmt_us(p.p50_us) if p.p50_us is not None else dash(None),
              fmt_us(p.p99_us) if p.p99_us is not None else dash(None),
              fmt_count(p.errors) if p.errors is not None else dash(None),
              fmt_bytes(p.client_rss_bytes) if p.client_rss_bytes is not None else dash(None))
    return t


def _x_positions(points: list[Point]) -> tuple[dict[str, float], list[float], list[str]]:
    """x for each limit label: finite L as is, unlimited 4x right of the largest finite L."""
    finite = sorted({p.limit for p in points if p.limit is not None})
    top = finite[-1] if finite else 1.0
    xs = {fmt_count(v): v for v in finite}
    if any(p.limit is None for p in points):
        xs[UNLIMITED] = top * 4
    ticks = sorted(xs.values())
    labels = ["∞" if x == xs.get(UNLIMITED) else fmt_count(x) for x in ticks]
    return xs, ticks, labels


def draw(data: ConcurrencyLimit, out_dir: Path) -> list[Path]:
    fig, (ax_rps, ax_p99) = figure.new_figure(ncols=2)
    xs, ticks, labels = _x_positions(data.points)
    littles = sorted({(xs[p.limit_label], p.littles_rps) for p in data.points})
    for ax in (ax_rps, ax_p99):
        ax.axvline(data.capacity, color="red", linestyle=":", linewidth=1.2,
                   label=f"L = C = {fmt_count(data.capacity)}")
    ax_rps.plot([x for x, _ in littles], [y for _, y in littles], linestyle="--", color="black",
                linewidth=1, label="Little's law: min(L, C) / D")
    for model in sorted({p.model for p in data.points}, key=schema.model_order):
        mine = sorted((p for p in data.points if p.model == model), key=_sort_key)
        x = [xs[p.limit_label] for p in mine]
        yerr = [p.rps_sd or 0.0 for p in mine]
        ax_rps.errorbar(x, [p.rps for p in mine], yerr=yerr if any(yerr) else None, capsize=3,
                        markersize=5, **colors.line_kwargs(model))
        with_p99 = [(xx, p.p99_us / 1e3) for xx, p in zip(x, mine) if p.p99_us is not None]
        if with_p99:
            ax_p99.plot([a for a, _ in with_p99], [b for _, b in with_p99], markersize=5,
                        **colors.line_kwargs(model))
    for ax in (ax_rps, ax_p99):
        ax.set_xscale("log")
        ax.set_xticks(ticks, labels)
        ax.minorticks_off()
        ax.set_xlabel("client concurrency limit L (log; ∞ = unlimited)")
    ax_rps.set_ylabel("throughput (requests/s)")
    ax_rps.set_title("throughput vs L")
    ax_p99.set_yscale("log")
    figure.plain_log_ticks(ax_p99, "y")
    ax_p99.set_ylabel("p99 latency (ms, log)")
    ax_p99.set_title("p99 latency vs L")
    ax_rps.legend(loc="lower right")
    fig.suptitle(f"concurrency_limit: server capacity C = {fmt_count(data.capacity)}, "
                 f"D = {fmt_ms(data.delay_ms)} per request")
    return figure.save(fig, out_dir, STEM)
