"""mixed/blocking_in_loop: latency percentiles of the cheap requests, per model and variant.

The chart puts the percentile on a log-tail axis (-log10(1 - p): p50, p90, p99, p99.9 evenly
spaced) and the latency on a log axis, so the tail, where blocking the loop shows, is as
readable as the median (a linear 0-100% axis squeezed p99 and p99.9 into its top pixel).

Some requests do CPU work or a blocking call. ``variant:inline`` runs it on the loop thread,
so every cheap request queued behind it waits; ``offload`` (to_thread) and ``pool`` move it
off the loop. Each run reports the CDF as counters cdf_p1_us ... cdf_p99_9_us.
Colour = model, line style = variant; one panel per setting of the other parameters (the work
kind: CPU or a blocking call), and inline is compared with offloading within one setting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from corio_plots import colors, figure, schema
from corio_plots.load import Results
from corio_plots.stats import Stat, errorbar, fmt_value, within_noise
from corio_plots.table import Table, stat_cell
from corio_plots.units import REQ, fmt_rate, fmt_ratio, fmt_us

KEY = "mixed/blocking_in_loop"
STEM = "blocking_in_loop_cdf"
INLINE = "inline"
_LINESTYLES = {"inline": "-", "offload": "--", "pool": ":"}
MAX_PANELS = 3
# Two p99s whose ratio is within this of 1 are "about the same": offloading changed nothing.
LATENCY_TOLERANCE = 0.10


@dataclass(frozen=True)
class Curve:
    model: str
    variant: str
    point: str  # the other parameters
    cdf_stats: tuple[tuple[float, Stat], ...]  # (percentile, latency µs), ascending
    rps_stat: Stat | None
    p50: Stat | None
    p99_stat: Stat | None
    p999: Stat | None

    @property
    def cdf(self) -> tuple[tuple[float, float], ...]:
        return tuple((p, s.median) for p, s in self.cdf_stats)


@dataclass
class BlockingCdf:
    curves: list[Curve]
    notes: list[str] = field(default_factory=list)

    def settings(self) -> list[str]:
        return list(dict.fromkeys(c.point for c in self.curves))


def cdf_points(values: dict[str, float]) -> tuple[tuple[float, float], ...]:
    """The (percentile, µs) pairs present among a run's counters, in percentile order."""
    return tuple((p, values[schema.cdf_counter(p)]) for p in schema.CDF_PERCENTILES
                 if schema.cdf_counter(p) in values)


def compute(results: Results) -> BlockingCdf | None:
    curves: list[Curve] = []
    notes: list[str] = []
    for m in results.ok_measurements(KEY):
        variant = m.name.param("variant") or "default"
        stats = {c: v for c in schema.CDF_COUNTERS if (v := m.stat(c)) is not None}
        cdf = tuple((p, stats[schema.cdf_counter(p)]) for p in schema.CDF_PERCENTILES
                    if schema.cdf_counter(p) in stats)
        if len(cdf) < 2:
            notes.append(f"{m.name.base}: fewer than 2 cdf_p*_us counters; no CDF drawn")
        curves.append(Curve(
            model=m.model, variant=variant,
            point=" ".join(f"{k}:{v}" for k, v in m.name.without("variant")), cdf_stats=cdf,
            rps_stat=m.stat(schema.REQUESTS_PER_SECOND), p50=m.stat(schema.LATENCY_P50_US),
            p99_stat=m.stat(schema.LATENCY_P99_US), p999=m.stat(schema.LATENCY_P999_US)))
    if not curves:
        return None
    return BlockingCdf(curves=curves, notes=notes)


def _p99(c: Curve) -> Stat | None:
    if c.p99_stat is not None:
        return c.p99_stat
    return dict(c.cdf_stats).get(99)


def offload_verdict(inline: Stat, best: Stat, variant: str) -> str:
    """What moving the work off the loop did to the cheap requests' p99, with its condition:
    lower beyond noise and LATENCY_TOLERANCE, about the same, or higher."""
    pct = f"{LATENCY_TOLERANCE * 100:.0f}%"
    if within_noise(inline, best):
        return ("within noise: offloading changed nothing beyond the repetitions' spread "
                "(their min–max intervals overlap)")
    ratio = best.median / inline.median if inline.median > 0 else float("inf")
    if abs(ratio - 1) <= LATENCY_TOLERANCE:
        return f"about the same (within {pct}): offloading did not lower it"
    if ratio < 1:
        return f"{fmt_ratio(1 / ratio)} lower with {variant}"
    return f"higher with {variant} ({fmt_ratio(ratio)} the inline p99): offloading raised it"


def findings(data: BlockingCdf) -> list[str]:
    out = []
    for setting in data.settings():
        where = f" ({setting})" if setting else ""
        for model in sorted({c.model for c in data.curves}, key=schema.model_order):
            mine = [c for c in data.curves if c.model == model and c.point == setting]
            inline = next((c for c in mine if c.variant == INLINE and _p99(c) is not None),
                          None)
            others = sorted(((c, p) for c in mine if c.variant != INLINE
                             and (p := _p99(c)) is not None), key=lambda cp: cp[1].median)
            a = _p99(inline) if inline else None
            if a is not None and others:
                best, b = others[0]
                offloaded = ", ".join(f"{fmt_value(p, fmt_us)} with {c.variant}"
                                      for c, p in others)
                single = not (a.repeated and b.repeated)
                out.append(f"{model}{where}: p99 of the cheap requests is {fmt_value(a, fmt_us)} "
                           f"with the work inline, {offloaded}: "
                           f"{offload_verdict(a, b, best.variant)}"
                           + ("; single sample: not checked across repetitions" if single
                              else "") + ".")
            elif mine:
                listed = ", ".join(f"{c.variant} {fmt_value(p, fmt_us)}" for c in mine
                                   if (p := _p99(c)) is not None)
                if listed:
                    missing = "offloaded" if inline is not None else "inline"
                    out.append(f"{model}{where}: p99 of the cheap requests: {listed} (no "
                               f"{missing} run to compare with).")
    return out


def table(data: BlockingCdf) -> Table:
    t = Table(["model", "variant", "parameters", "requests/s", "p50", "p99", "p99.9"])
    for c in sorted(data.curves, key=lambda c: (schema.model_order(c.model), c.variant)):
        t.add(c.model, c.variant, c.point or "–",
              stat_cell(c.rps_stat, lambda v: fmt_rate(v, REQ)), stat_cell(c.p50, fmt_us),
              stat_cell(c.p99_stat, fmt_us, primary=True), stat_cell(c.p999, fmt_us))
    return t


def nines(percentile: float) -> float:
    """The log-tail axis: -log10(1 - p/100); p50 -> 0.3, p90 -> 1, p99 -> 2, p99.9 -> 3, so
    each step right is one more nine and the tail gets as much room as the body."""
    return -math.log10(1 - percentile / 100)


# The percentiles labelled on the x axis (those within the data's range are shown).
_TICKS = (50.0, 90.0, 99.0, 99.9, 99.99)


def _offload_effect(data: BlockingCdf, setting: str) -> tuple[list[str], list[str]]:
    """Models whose cheap requests' p99 fell with the work off the loop (beyond noise and
    LATENCY_TOLERANCE), as 'corio 53x'; and those where it did not."""
    lower, other = [], []
    for model in sorted({c.model for c in data.curves}, key=schema.model_order):
        mine = [c for c in data.curves if c.model == model and c.point == setting]
        inline = next((c for c in mine if c.variant == INLINE and _p99(c) is not None), None)
        offs = sorted(((c, p) for c in mine if c.variant != INLINE
                       and (p := _p99(c)) is not None), key=lambda cp: cp[1].median)
        a = _p99(inline) if inline else None
        if a is None or not offs:
            continue
        verdict = offload_verdict(a, offs[0][1], offs[0][0].variant)
        if verdict.endswith(f"lower with {offs[0][0].variant}"):
            lower.append(f"{model} {verdict.split(' lower')[0]}")
        else:
            other.append(model)
    return lower, other


def shows(data: BlockingCdf) -> str:
    """One line: what the chart shows, computed from its data."""
    parts = []
    for setting in data.settings():
        lower, other = _offload_effect(data, setting)
        where = setting or "all runs"
        if lower:
            parts.append(f"{where}: moving the work off the loop cut the cheap requests' p99 "
                         f"({', '.join(lower)} lower)"
                         + (f", not for {', '.join(other)}" if other else ""))
        elif other:
            parts.append(f"{where}: moving the work off the loop did not lower the p99 beyond "
                         f"noise and {LATENCY_TOLERANCE * 100:.0f}% ({', '.join(other)})")
    head = ("Latency of the cheap requests from the median out to the tail (each step right "
            "is one more nine)")
    return head + (": " + "; ".join(parts) if parts else "") + "."


def draw(data: BlockingCdf, out_dir: Path) -> list[Path]:
    settings = data.settings()[:MAX_PANELS]
    fig, axes = figure.new_figure(ncols=len(settings), height_in=5.4)
    all_pcts: list[float] = []
    for ax, setting in zip(axes, settings):
        curves = [c for c in data.curves if c.point == setting and len(c.cdf) >= 2]
        values: list[float] = []
        for c in sorted(curves, key=lambda c: (schema.model_order(c.model), c.variant)):
            kwargs = colors.line_kwargs(c.model)
            kwargs["label"] = f"{kwargs['label']}, {c.variant}"
            ms = [s.scaled(1e-3) for _, s in c.cdf_stats]
            ax.errorbar([nines(p) for p, _ in c.cdf], [s.median for s in ms],
                        yerr=errorbar(ms), capsize=2, linestyle=_LINESTYLES.get(c.variant, "-."),
                        markersize=4, **kwargs)
            values += figure.stat_values(ms)
            all_pcts += [p for p, _ in c.cdf]
        figure.log_axis(ax, "y", values)
        pcts = [p for p, _ in (c.cdf[-1] for c in curves)] or [99.9]
        top = max(pcts)
        ticks = [t for t in _TICKS if t <= top + 1e-9]
        ax.set_xticks([nines(t) for t in ticks], [f"p{t:g}" for t in ticks])
        ax.set_xlim(-0.1, nines(top) + 0.15)
        ax.set_xlabel("percentile (log tail)")
        ax.set_title(setting or "all runs", fontsize=9)
    axes[0].set_ylabel("latency of a cheap request (ms, log)")
    bottom = figure.legend_below(fig, axes, ncol=4)
    caption = figure.bars_caption(s for c in data.curves for _, s in c.cdf_stats)
    fig.suptitle("blocking_in_loop: latency percentiles of the cheap requests\n"
                 "solid = work inline on the loop, dashed = offload (to_thread), dotted = "
                 f"pool\n({caption})")
    return figure.save(fig, out_dir, STEM, rect=(0, bottom, 1, 1))
