"""One fixed colour and marker per model, the same in every chart.

Colours are matplotlib's tab10 plus a few darker shades, chosen so that models people compare
directly (corio vs asio vs libuv vs threads) differ in hue, and the multi-threaded variant of
a model is a shade of it. ``wrk_<model>`` rows (http_plaintext loaded by wrk) take their
model's colour with a hatch in bar charts and a hollow marker in line charts.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from corio_plots.schema import WRK_PREFIX


@dataclass(frozen=True)
class Style:
    color: str
    marker: str
    hatch: str = ""
    filled: bool = True
    label: str = ""


_BASE: dict[str, tuple[str, str]] = {
    "sequential": ("#7f7f7f", "o"),  # grey: the baseline
    "corio": ("#1f77b4", "o"),  # blue
    "corio_mt": ("#17becf", "D"),  # cyan: a shade of corio's blue
    "threads": ("#ff7f0e", "s"),  # orange
    "thread_pool": ("#bcbd22", "P"),  # olive
    "processes": ("#8c564b", "X"),  # brown
    "asio": ("#2ca02c", "^"),  # green
    "asio_mt": ("#0b5d1e", "v"),  # dark green: a shade of asio's
    "libuv": ("#9467bd", "<"),  # purple
    "nginx": ("#e377c2", "*"),  # pink: the outside reference
}

# Models nobody registered here still get a stable colour: picked by a hash of the name, so
# an unknown model has the same colour in every chart and every run.
_FALLBACK_COLORS = ("#d62728", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173")
_FALLBACK_MARKERS = ("h", "p", "8", "d", ">", "H")


def style(model: str) -> Style:
    """The colour, marker and hatch every chart uses for ``model``."""
    if model in _BASE:
        color, marker = _BASE[model]
        return Style(color=color, marker=marker, label=model)
    if model.startswith(WRK_PREFIX):
        inner = style(model[len(WRK_PREFIX):])
        return Style(color=inner.color, marker=inner.marker, hatch="//", filled=False,
                     label=f"{model[len(WRK_PREFIX):]} (wrk)")
    index = zlib.crc32(model.encode())
    return Style(color=_FALLBACK_COLORS[index % len(_FALLBACK_COLORS)],
                 marker=_FALLBACK_MARKERS[index % len(_FALLBACK_MARKERS)], label=model)


def line_kwargs(model: str) -> dict[str, object]:
    """Keyword arguments for ax.plot: colour, marker, hollow for wrk rows, label."""
    s = style(model)
    kwargs: dict[str, object] = {"color": s.color, "marker": s.marker, "label": s.label}
    if not s.filled:
        kwargs["markerfacecolor"] = "white"
    return kwargs


def bar_kwargs(model: str) -> dict[str, object]:
    """Keyword arguments for ax.bar: face colour, hatch for wrk rows, label."""
    s = style(model)
    kwargs: dict[str, object] = {"color": s.color, "label": s.label, "edgecolor": "black",
                                 "linewidth": 0.5}
    if s.hatch:
        kwargs["hatch"] = s.hatch
        kwargs["color"] = "white"
        kwargs["edgecolor"] = s.color
        kwargs["linewidth"] = 1.0
    return kwargs
