"""matplotlib set-up shared by every chart: headless backend, size, saving PNG + SVG, and
what keeps a chart readable.

Charts are 8 inches wide at 100 dpi: 800 px PNGs, the width of a README column on GitHub, so
they are shown at their own size and 10 pt text stays readable. log_axis / linear_axis set
limits that hug the measured values (error bars included) and ticks on them; legend_below and
footnote make room under the panels; save() thins tick labels that would overlap (declutter)
before writing. tests/test_readability.py checks every chart against the same rules.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: CI containers and ssh sessions have none

import matplotlib.pyplot as plt  # noqa: E402  (must follow matplotlib.use)
from matplotlib import ticker  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from corio_plots.stats import SPREAD_KIND, Stat  # noqa: E402

WIDTH_IN = 8.0
HEIGHT_IN = 4.8
DPI = 100
FORMATS: tuple[str, ...] = ("png", "svg")

plt.rcParams.update({
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.fontsize": 8,
    "legend.framealpha": 0.9,
    "svg.hashsalt": "corio",  # stable SVG ids: re-drawing the same data gives the same file
})


def new_figure(ncols: int = 1, nrows: int = 1, height_in: float = HEIGHT_IN,
               sharey: bool = False) -> tuple[Figure, list[Axes]]:
    """A figure at README width with ncols x nrows panels, returned as a flat list."""
    fig, axes = plt.subplots(nrows, ncols, figsize=(WIDTH_IN, height_in), dpi=DPI,
                             sharey=sharey, squeeze=False)
    return fig, [ax for row in axes for ax in row]


def save(fig: Figure, out_dir: Path, stem: str, formats: tuple[str, ...] = FORMATS,
         tight: bool = True, rect: tuple[float, float, float, float] | None = None
         ) -> list[Path]:
    """Writes out_dir/stem.<format> for each format and closes the figure.

    tight=False keeps a layout the caller already fixed; ``rect``: the part of the figure
    tight_layout may fill (room below for a figure legend or a footnote). Before writing, tick
    labels that would overlap their neighbours are thinned (declutter).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    if tight:
        fig.tight_layout(rect=rect) if rect else fig.tight_layout()
    declutter(fig)
    for fmt in formats:
        path = out_dir / f"{stem}.{fmt}"
        # No creation date in the files: re-drawing the same results gives the same bytes.
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(path, format=fmt, dpi=DPI, metadata=metadata)
        written.append(path)
    plt.close(fig)
    return written


def legend_outside(ax: Axes, handles_from: list[Axes] | None = None, ncol: int = 1) -> None:
    """A legend that never hides data: right of ``ax``, with the entries of every axes in
    ``handles_from`` (a model drawn in one panel only still gets its entry), each label once."""
    seen: dict[str, Any] = {}
    for source in handles_from or [ax]:
        for handle, label in zip(*source.get_legend_handles_labels()):
            seen.setdefault(label, handle)
    if seen:
        ax.legend(list(seen.values()), list(seen), loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  ncol=ncol, borderaxespad=0.0)


def bars_caption(stats: Iterable[Stat | None]) -> str:
    """What the error bars of a chart are: min–max over N repetitions, or none (single
    samples)."""
    present = [s for s in stats if s is not None]
    counts = sorted({s.n for s in present if s.repeated})
    if not counts:
        return "single samples: no error bars"
    reps = f"{counts[0]}" if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"
    single = "; single samples have none" if any(not s.repeated for s in present) else ""
    return f"error bars: {SPREAD_KIND} over {reps} repetitions{single}"


# --- Readability: tick labels that never overlap, limits that hug the data ------------------


def drawn_ticks(axis: Any) -> list[Any]:
    """The ticks matplotlib draws on ``axis`` (those inside its view), labelled or not."""
    return list(axis._update_ticks())  # noqa: SLF001  (the only public-enough way in 3.6)


def _label_boxes(axis: Any, renderer: Any) -> list[tuple[Any, Any, bool]]:
    """(tick, its label's window extent, is_major) for each drawn tick with a label."""
    major = set(map(id, axis.get_major_ticks()))
    out = []
    for tick in drawn_ticks(axis):
        label = tick.label1
        if label.get_visible() and label.get_text():
            out.append((tick, label.get_window_extent(renderer), id(tick) in major))
    return out


def declutter(fig: Figure, pad_px: float = 2.0) -> None:
    """Thins tick labels that would overlap: minor labels go first (all of them, on an axis
    where any collides), then every major label that runs into the one kept before it. The
    ticks stay; only their labels go."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            along = 0 if axis is ax.xaxis else 1
            boxes = _label_boxes(axis, renderer)
            if any(not major for _, _, major in boxes) and _collide(boxes, along, pad_px):
                axis.set_minor_formatter(ticker.NullFormatter())
                fig.canvas.draw()
                boxes = _label_boxes(axis, renderer)
            if not _collide(boxes, along, pad_px):
                continue
            kept_box = None
            keep: dict[float, str] = {}
            for tick, box, _major in sorted(boxes, key=lambda b: b[1].get_points()[0][along]):
                if kept_box is not None and _overlap(kept_box, box, pad_px):
                    keep[tick.get_loc()] = ""
                    continue
                kept_box = box
                keep[tick.get_loc()] = tick.label1.get_text()
            locs = [t.get_loc() for t in drawn_ticks(axis) if t in axis.get_major_ticks()]
            axis.set_ticks(locs, [keep.get(loc, "") for loc in locs])
            fig.canvas.draw()


def _overlap(a: Any, b: Any, pad_px: float) -> bool:
    return (a.x0 < b.x1 + pad_px and b.x0 < a.x1 + pad_px and
            a.y0 < b.y1 + pad_px and b.y0 < a.y1 + pad_px)


def _collide(boxes: list[tuple[Any, Any, bool]], along: int, pad_px: float) -> bool:
    ordered = sorted(boxes, key=lambda b: b[1].get_points()[0][along])
    return any(_overlap(a[1], b[1], pad_px) for a, b in zip(ordered, ordered[1:]))


def _fmt_tick(value: float, _pos: int | None = None) -> str:
    """A tick label: 0.05, 20, 1,000, and 10k, 100k, 2M from ten thousand up (short enough
    for a decade's width)."""
    from corio_plots.units import fmt_number
    if value <= 0:
        return ""
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e4, "k")):
        if value >= scale:
            unit = 1e3 if suffix == "k" else scale
            return f"{fmt_number(value / unit)}{suffix}"
    return fmt_number(value)


def dodge(index: int, count: int, width: float = 0.7) -> float:
    """The offset of the index-th of count dots sharing a row, so none hides another."""
    return 0.0 if count <= 1 else (index - (count - 1) / 2) * width / count


def log_axis(ax: Axes, axis: str, values: Iterable[float], margin: float = 1.3,
             label_values: Iterable[float] | None = None) -> None:
    """A log axis whose limits hug ``values`` (the data with its error bars): ``margin``
    times beyond the smallest and the largest, never a decade of empty paper. Ticks: the
    ``label_values`` when given (the N a sweep ran), else 1-2-5 steps when the data span under
    two decades, decades beyond; labelled 0.5, 20, 1,000 (never 10^3); minor ticks unlabelled.
    """
    positive = [v for v in values if v > 0 and math.isfinite(v)]
    if not positive:
        return
    lo, hi = min(positive), max(positive)
    if hi / lo < 1.5:  # a near-flat series: give it some room to be read against
        mid = math.sqrt(lo * hi)
        lo, hi = min(lo, mid / 1.25), max(hi, mid * 1.25)
    target = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    (ax.set_xlim if axis == "x" else ax.set_ylim)(lo / margin, hi * margin)
    if label_values is not None:
        ticks = sorted({v for v in label_values if v > 0})
        target.set_major_locator(ticker.FixedLocator(ticks))
    else:
        decades = math.log10(hi / lo)
        subs: tuple[float, ...] = ((1.0,) if decades >= 3.5 else (1.0, 3.0) if decades >= 2
                                   else (1.0, 2.0, 5.0))
        if decades < 0.6:  # under a factor of 4: evenly spaced ticks within the data
            ticks = [t for t in ticker.MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10])
                     .tick_values(lo, hi) if t > 0]
            target.set_major_locator(ticker.FixedLocator(ticks))
        else:
            target.set_major_locator(ticker.LogLocator(base=10, subs=subs, numticks=20))
    target.set_major_formatter(ticker.FuncFormatter(_fmt_tick))
    target.set_minor_formatter(ticker.NullFormatter())


def linear_axis(ax: Axes, axis: str, values: Iterable[float], from_zero: bool = True,
                margin: float = 0.08) -> None:
    """A linear axis from 0 (or the data's low end) to a little above the data's top."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return
    lo, hi = min(finite), max(finite)
    if from_zero:
        lo = min(lo, 0.0)
    span = (hi - lo) or abs(hi) or 1.0
    limits = (lo if from_zero and lo == 0 else lo - span * margin, hi + span * margin)
    (ax.set_xlim if axis == "x" else ax.set_ylim)(*limits)
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(ticker.FuncFormatter(
        lambda v, _pos: f"{v:,.0f}" if abs(v) >= 100 or v == int(v) else f"{v:g}"))


def stat_values(stats: Iterable[Stat | None], scale: float = 1.0) -> list[float]:
    """Every median, min and max of ``stats`` (times ``scale``): what an axis must show."""
    out: list[float] = []
    for s in stats:
        if s is not None:
            out += [s.lo * scale, s.median * scale, s.hi * scale]
    return out


def legend_below(fig: Figure, axes: list[Axes], ncol: int = 4,
                 extra: list[tuple[Any, str]] | None = None, bottom: float = 0.0) -> float:
    """A figure legend under the panels with each label once (plus ``extra`` handles), its
    bottom at ``bottom`` (a footnote's height), and the fraction of the figure's height both
    need: pass (0, that, 1, 1) as save()'s rect."""
    seen: dict[str, Any] = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            seen.setdefault(label, handle)
    for handle, label in extra or []:
        seen.setdefault(label, handle)
    if not seen:
        return bottom
    # As many columns as fit the width: about 5 px a character at 8 pt, 45 px for the handle.
    widest = max(len(label) for label in seen) * 5.2 + 45
    ncol = max(1, min(ncol, int(fig.get_figwidth() * fig.dpi * 0.97 // widest)))
    rows = math.ceil(len(seen) / ncol)
    fig.legend(list(seen.values()), list(seen), loc="lower center", ncol=ncol,
               bbox_to_anchor=(0.5, bottom), frameon=False)
    return bottom + (0.12 + 0.17 * rows) / fig.get_figheight()


def footnote(fig: Figure, text: str, width: int = 120) -> float:
    """A small note under everything (wrapped); returns the fraction of the height it needs."""
    import textwrap
    lines = textwrap.wrap(text, width) if text else []
    if not lines:
        return 0.0
    fig.text(0.01, 0.005, "\n".join(lines), fontsize=7, ha="left", va="bottom", color="#444444")
    return (0.1 + 0.13 * len(lines)) / fig.get_figheight()
