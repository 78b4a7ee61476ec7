"""mixed/blocking_in_loop: latency CDF of the cheap requests, per model and variant.

Some requests do CPU work or a blocking call. ``variant:inline`` runs it on the loop thread,
so every cheap request queued behind it waits; ``offload`` (to_thread) and ``pool`` move it
off the loop. Each run reports the CDF as counters cdf_p1_us ... cdf_p99_9_us.
Colour = model, line style = variant; one panel per setting of the other parameters (the work
kind: CPU or a blocking call), and inline is compared with offloading within one setting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from corio_plots import colors, figure, schema
from corio_plots.load import Results
from corio_plots.table import Table, dash
from corio_plots.units import REQ, fmt_rate, fmt_ratio, fmt_us

KEY = "mixed/blocking_in_loop"
STEM = "blocking_in_loop_cdf"
INLINE = "inline"
_LINESTYLES = {"inline": "-", "offload": "--", "pool": ":"}
MAX_PANELS = 3


@dataclass(frozen=True)
class Curve:
    model: str
    variant: str
    point: str  # the other parameters
    cdf: tuple[tuple[float, float], ...]  # (percentile, latency µs), ascending
    rps: float | None
    p50_us: float | None
    p99_us: float | None
    p999_us: float | None


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
        values = {c: v for c in schema.CDF_COUNTERS if (v := m.value(c)) is not None}
        cdf = cdf_points(values)
        if len(cdf) < 2:
            notes.append(f"{m.name.base}: fewer than 2 cdf_p*_us counters; no CDF drawn")
        curves.append(Curve(
            model=m.model, variant=variant,
            point=" ".join(f"{k}:{v}" for k, v in m.name.without("variant")), cdf=cdf,
            rps=m.value(schema.REQUESTS_PER_SECOND), p50_us=m.value(schema.LATENCY_P50_US),
            p99_us=m.value(schema.LATENCY_P99_US), p999_us=m.value(schema.LATENCY_P999_US)))
    if not curves:
        return None
    return BlockingCdf(curves=curves, notes=notes)


def _p99(c: Curve) -> float | None:
    if c.p99_us is not None:
        return c.p99_us
    return dict(c.cdf).get(99)


def findings(data: BlockingCdf) -> list[str]:
    out = []
    for setting in data.settings():
        where = f" ({setting})" if setting else ""
        for model in sorted({c.model for c in data.curves}, key=schema.model_order):
            mine = [c for c in data.curves if c.model == model and c.point == setting]
            inline = next((c for c in mine if c.variant == INLINE and _p99(c) is not None),
                          None)
            others = [c for c in mine if c.variant != INLINE and _p99(c) is not None]
            if inline and others:
                best = min(others, key=lambda c: _p99(c) or 0.0)
                a, b = _p99(inline) or 0.0, _p99(best) or 0.0
                out.append(f"{model}{where}: p99 of the cheap requests is {fmt_us(a)} with the "
                           f"work inline, {fmt_us(b)} with {best.variant} "
                           f"({fmt_ratio(a / b)} lower).")
            elif mine:
                listed = ", ".join(f"{c.variant} {fmt_us(_p99(c) or 0.0)}" for c in mine
                                   if _p99(c) is not None)
                if listed:
                    out.append(f"{model}{where}: p99 of the cheap requests: {listed}.")
    return out


def table(data: BlockingCdf) -> Table:
    t = Table(["model", "variant", "parameters", "requests/s", "p50", "p99", "p99.9"])
    for c in sorted(data.curves, key=lambda c: (schema.model_order(c.model), c.variant)):
        t.add(c.model, c.variant, c.point or "–",
              fmt_rate(c.rps, REQ) if c.rps is not None else dash(None),
              fmt_us(c.p50_us) if c.p50_us is not None else dash(None),
              fmt_us(c.p99_us) if c.p99_us is not None else dash(None),
              fmt_us(c.p999_us) if c.p999_us is not None else dash(None))
    return t


def draw(data: BlockingCdf, out_dir: Path) -> list[Path]:
    settings = data.settings()[:MAX_PANELS]
    fig, axes = figure.new_figure(ncols=len(settings), sharey=True)
    for ax, setting in zip(axes, settings):
        curves = [c for c in data.curves if c.point == setting]
        for c in sorted(curves, key=lambda c: (schema.model_order(c.model), c.variant)):
            if len(c.cdf) < 2:
                continue
            kwargs = colors.line_kwargs(c.model)
            kwargs["label"] = f"{kwargs['label']}, {c.variant}"
            ax.plot([us / 1e3 for _, us in c.cdf], [p for p, _ in c.cdf],
                    linestyle=_LINESTYLES.get(c.variant, "-."), markersize=4, **kwargs)
        ax.set_xscale("log")
        figure.plain_log_ticks(ax, "x")
        ax.set_xlabel("latency of a cheap request (ms, log)")
        ax.set_title(setting or "all runs")
    axes[0].set_ylabel("requests answered within (%)")
    axes[0].set_ylim(0, 100.5)
    fig.suptitle("blocking_in_loop: latency CDF of the cheap requests\n"
                 "(solid = work inline on the loop, dashed = offload, dotted = pool)")
    figure.legend_outside(axes[-1], handles_from=axes)
    return figure.save(fig, out_dir, STEM)
