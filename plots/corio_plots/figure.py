"""matplotlib set-up shared by every chart: headless backend, size, saving PNG + SVG.

Charts are 8 x 4.8 inches at 100 dpi: 800 x 480 px PNGs, the width of a README column on
GitHub, so they are shown at their own size and 10 pt text stays readable.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: CI containers and ssh sessions have none

import matplotlib.pyplot as plt  # noqa: E402  (must follow matplotlib.use)
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

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


def legend_outside(ax: Axes, ncol: int = 1) -> None:
    """A legend that never hides data: to the right of the panel."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), ncol=ncol,
                  borderaxespad=0.0)
