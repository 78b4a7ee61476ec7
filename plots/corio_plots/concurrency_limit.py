"""limit/concurrency_limit: throughput and p99 latency vs the client's concurrency limit L.

R requests go to a server that serves at most C at once, each taking D ms. Little's law
predicts throughput = in-flight / latency: L / D below the knee at L = C and C / D beyond,
where a higher limit only queues requests. Each finding computes whether the run met that
prediction within LITTLES_LAW_TOLERANCE and, where it did not, says by how much it missed.
``limit:unlimited`` is drawn right of the largest finite L.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from corio_plots import colors, figure, schema
from corio_plots.load import Results
from corio_plots.stats import Stat, errorbar, fmt_value, within_noise
from corio_plots.table import Table, stat_cell
from corio_plots.units import (REQ, fmt_bytes, fmt_count, fmt_ms, fmt_percent, fmt_rate,
                               fmt_ratio, fmt_us)

KEY = "limit/concurrency_limit"
STEM = "concurrency_limit"
UNLIMITED = "unlimited"
# Throughput within this fraction of Little's law's prediction "follows" it.
LITTLES_LAW_TOLERANCE = 0.10
# A p99 that moved by less than this fraction (or within noise) "stays about the same".
P99_TOLERANCE = 0.10


@dataclass(frozen=True)
class Point:
    model: str
    limit: float | None  # None for "unlimited"
    capacity: float
    delay_ms: float
    rps_stat: Stat
    p50: Stat | None
    p99: Stat | None
    errors_stat: Stat | None
    client_rss: Stat | None
    littles_rps: float
    # The server's 503 mode (answers 503 beyond this many waiting); None: an unbounded queue.
    queue_bound: float | None = None
    requests: float | None = None  # R, the requests of one run

    @property
    def limit_label(self) -> str:
        return UNLIMITED if self.limit is None else fmt_count(self.limit)

    @property
    def rps(self) -> float:
        return self.rps_stat.median

    @property
    def p99_us(self) -> float | None:
        return None if self.p99 is None else self.p99.median

    @property
    def errors(self) -> float | None:
        return None if self.errors_stat is None else self.errors_stat.median

    @property
    def deviation(self) -> float:
        """Measured over predicted, minus 1: -0.85 is 85% short of Little's law."""
        return self.rps / self.littles_rps - 1


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
        rps = m.stat(schema.REQUESTS_PER_SECOND)
        if cap is None or delay is None or raw_limit is None or rps is None or (
                limit is None and raw_limit != UNLIMITED):
            notes.append(f"{m.name.base}: lacks limit/capacity/delay_ms or requests_per_second;"
                         " not drawn")
            continue
        if cap <= 0 or delay <= 0 or (limit is not None and limit <= 0):
            notes.append(f"{m.name.base}: limit, capacity and delay_ms must be above 0; not "
                         "drawn")
            continue
        littles = m.value(schema.LITTLES_LAW_RPS) or littles_law_rps(limit, cap, delay)
        points.append(Point(
            model=m.model, limit=limit, capacity=cap, delay_ms=delay, rps_stat=rps,
            p50=m.stat(schema.LATENCY_P50_US), p99=m.stat(schema.LATENCY_P99_US),
            errors_stat=m.stat(schema.ERRORS), client_rss=m.stat(schema.CLIENT_RSS_BYTES),
            littles_rps=littles, queue_bound=m.name.param_float("queue_bound") or None,
            requests=m.name.param_float("requests")))
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


def _rate(p: Point) -> str:
    return fmt_value(p.rps_stat, lambda v: fmt_rate(v, REQ))


def _labels(points: list[Point]) -> str:
    return ", ".join(p.limit_label for p in points)


def _every(points: list[Point]) -> str:
    return f"at L = {points[0].limit_label}" if len(points) == 1 else \
        f"at every L ({_labels(points)})"


def _miss(p: Point) -> str:
    """'85% short of' / '12% above' the prediction."""
    d = p.deviation
    return f"{fmt_percent(-d)} short of" if d < 0 else f"{fmt_percent(d)} above"


def _below_knee(model: str, below: list[Point], cap: float) -> str:
    pct = f"{LITTLES_LAW_TOLERANCE * 100:.0f}%"
    held = [p for p in below if abs(p.deviation) <= LITTLES_LAW_TOLERANCE]
    if len(held) == len(below):
        p = below[-1]
        return (f"{model}: below the knee (L < C = {fmt_count(cap)}) throughput follows "
                f"Little's law within {pct} {_every(below)}: {_rate(p)} at "
                f"L = {p.limit_label} (predicted {fmt_rate(p.littles_rps, REQ)} = L / D).")
    worst = max(below, key=lambda p: abs(p.deviation))
    where = f"; within {pct} at L = {_labels(held)}" if held else f"; at no L within {pct}"
    return (f"{model}: below the knee (L < C = {fmt_count(cap)}) throughput does not follow "
            f"Little's law: {_rate(worst)} at L = {worst.limit_label}, {_miss(worst)} the "
            f"predicted {fmt_rate(worst.littles_rps, REQ)} = L / D (more than {pct} off)"
            f"{where}.")


def _past_knee(model: str, past: list[Point], cap: float, ceiling: float) -> str:
    pct = f"{LITTLES_LAW_TOLERANCE * 100:.0f}%"
    head = f"{model}: from L = C = {fmt_count(cap)} on"
    held = [p for p in past if abs(p.deviation) <= LITTLES_LAW_TOLERANCE]
    if len(held) == len(past):
        last = past[-1]
        return (f"{head} throughput stays within {pct} of C / D = {fmt_rate(ceiling, REQ)} "
                f"{_every(past)}: {_rate(last)} at L = {last.limit_label}.")
    worst = max(past, key=lambda p: abs(p.deviation))
    verb = "fell" if worst.deviation < 0 else "rose"
    where = f"; within {pct} at L = {_labels(held)}" if held else f"; at no L within {pct}"
    return (f"{head} throughput {verb} {_miss(worst)} C / D = {fmt_rate(ceiling, REQ)}: "
            f"{_rate(worst)} at L = {worst.limit_label} (more than {pct} off){where}.")


def _p99_trend(model: str, knee: Point, last: Point) -> str | None:
    if knee.p99 is None or last.p99 is None or knee is last:
        return None
    a, b = knee.p99, last.p99
    span = (f"{fmt_value(a, fmt_us)} at L = {knee.limit_label}, {fmt_value(b, fmt_us)} at "
            f"L = {last.limit_label}")
    pct = f"{P99_TOLERANCE * 100:.0f}%"
    if within_noise(a, b):
        return f"{model}: past the knee p99 stays the same within noise ({span})."
    ratio = b.median / a.median if a.median > 0 else float("inf")
    if abs(ratio - 1) <= P99_TOLERANCE:
        return f"{model}: past the knee p99 stays within {pct} ({span})."
    if ratio > 1:
        return (f"{model}: past the knee p99 grows {fmt_ratio(ratio)}, from "
                f"{fmt_value(a, fmt_us)} at L = {knee.limit_label} to {fmt_value(b, fmt_us)} at "
                f"L = {last.limit_label}: the extra requests queue.")
    return (f"{model}: past the knee p99 falls, from {fmt_value(a, fmt_us)} at L = "
            f"{knee.limit_label} to {fmt_value(b, fmt_us)} at L = {last.limit_label} "
            f"({fmt_ratio(1 / ratio)} lower, more than {pct}).")


def findings(data: ConcurrencyLimit) -> list[str]:
    out: list[str] = []
    cap, delay = data.capacity, data.delay_ms
    ceiling = littles_law_rps(None, cap, delay)
    single = any(not p.rps_stat.repeated for p in data.points)
    for model in sorted({p.model for p in data.points}, key=schema.model_order):
        mine = sorted((p for p in data.points if p.model == model), key=_sort_key)
        below = [p for p in mine if p.limit is not None and p.limit < cap]
        past = [p for p in mine if p.limit is None or p.limit >= cap]
        if below:
            out.append(_below_knee(model, below, cap))
        if past:
            out.append(_past_knee(model, past, cap, ceiling))
            trend = _p99_trend(model, past[0], past[-1])
            if trend:
                out.append(trend)
        failing = [p for p in mine if p.errors_stat is not None and p.errors_stat.hi > 0]
        if failing:
            worst = max(failing, key=lambda p: p.errors or 0.0)
            first_fail = min(_sort_key(p) for p in failing)
            clean = [p.limit for p in mine if p not in failing and p.limit is not None
                     and p.limit < first_fail]
            tail = f"; none at L ≤ {fmt_count(max(clean))}" if clean else ""
            out.append(f"{model}: {fmt_count(worst.errors or 0.0)} failed requests at L = "
                       f"{worst.limit_label}{tail}.")
        rss = [p for p in mine if p.client_rss is not None]
        if len(rss) >= 2:
            first, last = rss[0], rss[-1]
            assert first.client_rss is not None and last.client_rss is not None
            out.append(f"{model}: client memory {fmt_value(first.client_rss, fmt_bytes)} at L = "
                       f"{first.limit_label}, {fmt_value(last.client_rss, fmt_bytes)} at L = "
                       f"{last.limit_label}.")
    if single and out:
        out.append("Single samples: each throughput above is one repetition, not checked "
                   "across repetitions.")
    return out


def table(data: ConcurrencyLimit) -> Table:
    t = Table(["model", "limit L", "requests R", "capacity C", "delay D", "queue bound",
               "requests/s", "Little's law", "vs Little's law", "p50", "p99", "errors",
               "client RSS"])
    for p in sorted(data.points + data.other_settings,
                    key=lambda p: (p.capacity, p.delay_ms, p.queue_bound or 0.0,
                                   schema.model_order(p.model), _sort_key(p))):
        bound = "none" if p.queue_bound is None else f"{fmt_count(p.queue_bound)} (then 503)"
        t.add(p.model, p.limit_label, "–" if p.requests is None else fmt_count(p.requests),
              fmt_count(p.capacity), fmt_ms(p.delay_ms), bound,
              stat_cell(p.rps_stat, lambda v: fmt_rate(v, REQ), primary=True),
              fmt_rate(p.littles_rps, REQ), f"{p.deviation * 100:+.0f}%",
              stat_cell(p.p50, fmt_us), stat_cell(p.p99, fmt_us),
              stat_cell(p.errors_stat, fmt_count), stat_cell(p.client_rss, fmt_bytes))
    return t


REJECTING = "503"  # the x label of the 503 mode's points


def rejecting(data: ConcurrencyLimit) -> list[Point]:
    """The 503 mode's points of the drawn (C, D): unlimited clients against a server that
    answers 503 beyond its queue bound."""
    return [p for p in data.other_settings if p.queue_bound is not None
            and (p.capacity, p.delay_ms) == (data.capacity, data.delay_ms)]


def _x_positions(points: list[Point], with_503: bool = False
                 ) -> tuple[dict[str, float], list[float], list[str]]:
    """x for each limit label: finite L as is, unlimited 4x right of the largest finite L,
    the 503 mode 4x right of that."""
    finite = sorted({p.limit for p in points if p.limit is not None})
    top = finite[-1] if finite else 1.0
    xs = {fmt_count(v): v for v in finite}
    if any(p.limit is None for p in points) or with_503:
        xs[UNLIMITED] = top * 4
    if with_503:
        xs[REJECTING] = top * 16
    names = {x: name for name, x in xs.items()}
    ticks = sorted(xs.values())
    labels = ["∞" if names[x] == UNLIMITED else "∞, 503" if names[x] == REJECTING
              else fmt_count(x) for x in ticks]
    return xs, ticks, labels


def shows(data: ConcurrencyLimit) -> str:
    """One line: what the chart shows, computed from its data."""
    cap, delay = data.capacity, data.delay_ms
    ceiling = littles_law_rps(None, cap, delay)
    held, short = [], []
    for model in sorted({p.model for p in data.points}, key=schema.model_order):
        past = [p for p in data.points if p.model == model and (p.limit is None or
                                                                  p.limit >= cap)]
        if not past:
            continue
        worst = max(past, key=lambda p: abs(p.deviation))
        if abs(worst.deviation) <= LITTLES_LAW_TOLERANCE:
            held.append(model)
        else:
            short.append(f"{model} ({_miss(worst)} C / D at L = {worst.limit_label})")
    pct = f"{LITTLES_LAW_TOLERANCE * 100:.0f}%"
    text = (f"Throughput, p99, client memory and errors against the client's limit L; Little's "
            f"law caps throughput at C / D = {fmt_rate(ceiling, REQ)} from L = C = "
            f"{fmt_count(cap)} on")
    if held:
        text += (f"; within {pct} of that cap at every L ≥ C (more L added nothing): "
                 f"{', '.join(held)}")
    if short:
        text += f"; not within {pct}: {', '.join(short)}"
    grew = [p.model for p in data.points if p.limit is None and p.p99 is not None
            and (knee := next((k for k in data.points if k.model == p.model
                               and k.limit == cap and k.p99 is not None), None)) is not None
            and knee.p99 is not None and p.p99.lo > knee.p99.hi
            and p.p99.median > knee.p99.median * (1 + P99_TOLERANCE)]
    if grew:
        text += (f"; unlimited clients only queue: p99 grew beyond noise and {pct} from L = C "
                 f"for {', '.join(sorted(set(grew), key=schema.model_order))}")
    return text + "."


def draw(data: ConcurrencyLimit, out_dir: Path) -> list[Path]:
    from matplotlib.lines import Line2D

    mode_503 = rejecting(data)
    fig, axes = figure.new_figure(ncols=2, nrows=2, height_in=7.6)
    ax_rps, ax_p99, ax_rss, ax_err = axes
    xs, ticks, labels = _x_positions(data.points, with_503=bool(mode_503))
    littles = sorted({(xs[p.limit_label], p.littles_rps) for p in data.points})
    for ax in axes:
        ax.axvline(data.capacity, color="red", linestyle=":", linewidth=1.2,
                   label=f"L = C = {fmt_count(data.capacity)}")
    ax_rps.plot([x for x, _ in littles], [y for _, y in littles], linestyle="--", color="black",
                linewidth=1, label="Little's law: min(L, C) / D")
    values: dict[str, list[float]] = {"rps": [], "p99": [], "rss": [], "err": []}
    xs_used: list[float] = []
    zero_rss: list[str] = []
    for model in sorted({p.model for p in data.points}, key=schema.model_order):
        mine = sorted((p for p in data.points if p.model == model), key=_sort_key)
        bounded = [p for p in mode_503 if p.model == model]
        for points, hollow in ((mine, False), (bounded, True)):
            if not points:
                continue
            kwargs = colors.line_kwargs(model)
            if hollow:
                kwargs.update(markerfacecolor="white", linestyle="none")
                kwargs.pop("label")
            x = [xs[REJECTING] if hollow else xs[p.limit_label] for p in points]
            xs_used += x
            ax_rps.errorbar(x, [p.rps for p in points],
                            yerr=errorbar([p.rps_stat for p in points]), capsize=3,
                            markersize=5, **kwargs)
            values["rps"] += figure.stat_values(p.rps_stat for p in points)
            with_p99 = [(xx, p.p99.scaled(1e-3)) for xx, p in zip(x, points) if p.p99]
            if with_p99:
                ax_p99.errorbar([a for a, _ in with_p99], [b.median for _, b in with_p99],
                                yerr=errorbar([b for _, b in with_p99]), capsize=3,
                                markersize=5, **kwargs)
                values["p99"] += figure.stat_values(b for _, b in with_p99)
            rss = [(xx, p.client_rss.scaled(1 / 2**20)) for xx, p in zip(x, points)
                   if p.client_rss is not None and p.client_rss.lo > 0]
            if len(rss) < sum(p.client_rss is not None for p in points):
                zero_rss.append(model)
            if rss:
                ax_rss.errorbar([a for a, _ in rss], [b.median for _, b in rss],
                                yerr=errorbar([b for _, b in rss]), capsize=3, markersize=5,
                                **kwargs)
                values["rss"] += figure.stat_values(b for _, b in rss)
            errs = [(xx, p.errors_stat) for xx, p in zip(x, points)
                    if p.errors_stat is not None]
            if errs:
                ax_err.errorbar([a for a, _ in errs], [b.median for _, b in errs],
                                yerr=errorbar([b for _, b in errs]), capsize=3, markersize=5,
                                **kwargs)
                values["err"] += figure.stat_values(b for _, b in errs)
    for ax in axes:
        ax.set_xscale("log")
        ax.set_xticks(ticks, labels)
        ax.minorticks_off()
        ax.set_xlim(min(xs_used) / 1.6, max(xs_used) * 1.6)
    for ax in (ax_rss, ax_err):
        ax.set_xlabel("client concurrency limit L (log; ∞ = unlimited)")
    figure.log_axis(ax_rps, "y", values["rps"])
    ax_rps.set_ylabel("throughput (requests/s, log)")
    ax_rps.set_title("throughput vs L", fontsize=9)
    figure.log_axis(ax_p99, "y", values["p99"])
    ax_p99.set_ylabel("p99 latency (ms, log)")
    ax_p99.set_title("p99 latency vs L", fontsize=9)
    if values["rss"]:
        figure.log_axis(ax_rss, "y", values["rss"])
    ax_rss.set_ylabel("client memory growth (MiB, log)")
    ax_rss.set_title("client memory vs L" + (" (0 B growth not drawn)" if zero_rss else ""),
                     fontsize=9)
    figure.linear_axis(ax_err, "y", values["err"] or [0.0, 1.0])
    ax_err.set_ylabel("failed or rejected requests")
    ax_err.set_title("errors vs L", fontsize=9)
    extra = []
    if mode_503:
        bound = fmt_count(mode_503[0].queue_bound or 0)
        extra.append((Line2D([], [], marker="o", color="black", markerfacecolor="white",
                             linestyle="none"),
                      f"hollow, at ∞, 503: server queue bound {bound}, 503 beyond it"))
    bottom = figure.legend_below(fig, axes, ncol=4, extra=extra)
    fig.suptitle(f"concurrency_limit: server capacity C = {fmt_count(data.capacity)}, "
                 f"D = {fmt_ms(data.delay_ms)} per request\n"
                 f"({figure.bars_caption(p.rps_stat for p in data.points)})")
    return figure.save(fig, out_dir, STEM, rect=(0, bottom, 1, 1))
