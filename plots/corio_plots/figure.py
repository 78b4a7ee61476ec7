"""matplotlib set-up shared by every chart: headless backend, size, saving PNG + SVG.

Charts are 8 x 4.8 inches at 100 dpi: 800 x 480 px PNGs, the width of a README column on
GitHub, so they are shown at their own size and 10 pt text stays readable.
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
         tight: bool = True) -> list[Path]:
    """Writes out_dir/stem.<format> for each format and closes the figure.

    tight=False keeps a layout the caller already fixed (e.g. room for a figure legend).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    if tight:
        fig.tight_layout()
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


def _plain(value: float, _pos: int) -> str:
    if value <= 0:
        return ""
    if value >= 1:
        return f"{value:,.0f}"
    return f"{value:.6f}".rstrip("0").rstrip(".")


def plain_log_ticks(ax: Axes, axis: str = "both") -> None:
    """Log axes labelled 0.1, 1, 10, 1,000 instead of 10^-1 ... : read without decoding."""
    formatter = ticker.FuncFormatter(_plain)
    if axis in ("x", "both"):
        ax.xaxis.set_major_formatter(formatter)
    if axis in ("y", "both"):
        ax.yaxis.set_major_formatter(formatter)


def log_bar_floor(ax: Axes, values: list[float]) -> None:
    """Starts a log-scale bar axis at the smallest bar's decade (96 -> 10), so a small bar
    shows its size instead of a sliver above an arbitrary bottom, and leaves room above the
    tallest bar for its value label."""
    positive = [v for v in values if v > 0]
    if positive:
        ax.set_ylim(bottom=10 ** math.floor(math.log10(min(positive))), top=max(positive) * 3)


def label_bars(ax: Axes, bars: Any, texts: list[str],
               above: list[float] | None = None) -> None:
    """Writes each bar's value above it, small, so the chart can be read without the table;
    ``above``: per bar, the height of its error bar's top over the bar, so the label clears
    it."""
    for i, (bar, text) in enumerate(zip(bars, texts)):
        if bar.get_height() > 0:
            top = bar.get_height() + (above[i] if above else 0.0)
            ax.annotate(text, (bar.get_x() + bar.get_width() / 2, top),
                        xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                        fontsize=7)


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
