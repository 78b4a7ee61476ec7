"""One fixed colour and marker per model, the same in every chart.

Every model the suite knows (the C++ models, the Python, Go and tokio ones, nginx) has its own
colour *and* its own marker, so two models never share a pair and a chart printed in grey, or
read by someone who does not tell two hues apart, still separates them by shape. Colours are
picked so that no two known models are closer than MIN_DELTA_E (CIE76 in L*a*b*): the
multi-threaded variant of a model is a clearly different hue (corio blue, corio_mt cyan; asio
green, asio_mt a dark teal), next to it in the legend's order. ``wrk_<model>`` rows
(http_plaintext loaded by wrk) take their model's colour and marker, hollow in line and dot
charts and hatched in bar charts: the same server, another load generator. ``<model>_mt`` of
a model known only in its single-threaded form takes a darker shade of its colour and its own
marker. Anything else gets a stable colour and marker from a hash of its name.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from corio_plots.schema import WRK_PREFIX

MT_SUFFIX = "_mt"


@dataclass(frozen=True)
class Style:
    color: str
    marker: object  # a matplotlib marker: "o", "D", or (4, 1, 0) for a four-pointed star
    hatch: str = ""
    filled: bool = True
    label: str = ""


# Two known models' colours are at least this far apart (CIE76 ΔE; 2.3 is "just noticeable",
# above 20 reads as different colours at a glance). tests/test_readability.py checks it.
MIN_DELTA_E = 20.0

_BASE: dict[str, tuple[str, object]] = {
    "sequential": ("#7f7f7f", "h"),  # grey hexagon: the baseline
    "corio": ("#1f77b4", "o"),  # blue circle
    "corio_mt": ("#17becf", "D"),  # cyan diamond
    "threads": ("#ff7f0e", "s"),  # orange square
    "thread_pool": ("#bcbd22", "P"),  # olive plus
    "processes": ("#8c564b", "X"),  # brown cross
    "asio": ("#2ca02c", "^"),  # green triangle up
    "asio_mt": ("#005f3a", "v"),  # dark teal triangle down
    "libuv": ("#9467bd", "<"),  # purple triangle left
    "nginx": ("#e377c2", "*"),  # pink star: the outside reference
    "py_asyncio": ("#d62728", "p"),  # red pentagon
    "py_uvloop": ("#ff9896", ">"),  # salmon triangle right
    "py_threads": ("#637939", "d"),  # dark olive thin diamond
    "py_processes": ("#7b4173", "8"),  # plum octagon
    "go": ("#393b79", "H"),  # indigo hexagon (flat)
    "go_mt": ("#9c9ede", (7, 0, 0)),  # periwinkle heptagon: go on every core
    "tokio": ("#000000", (4, 1, 0)),  # black four-pointed star
    "tokio_mt": ("#8c6d31", (6, 1, 0)),  # umber six-pointed star: tokio's multi_thread
}

KNOWN_MODELS: tuple[str, ...] = tuple(_BASE)

# Markers for the *_mt variant of a model known only single-threaded, and for unknown models.
_MT_MARKERS: tuple[object, ...] = ((5, 1, 0), (6, 1, 0), (3, 1, 0), (4, 1, 45))
_FALLBACK_COLORS = ("#e6550d", "#3182bd", "#31a354", "#756bb1", "#636363", "#8c6d31")
_FALLBACK_MARKERS: tuple[object, ...] = ((3, 0, 90), (5, 0, 36), (6, 0, 30), (8, 0, 0),
                                         (3, 0, 270), (4, 0, 22))


def _darker(color: str, factor: float = 0.55) -> str:
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))


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
    if model.endswith(MT_SUFFIX) and model[:-len(MT_SUFFIX)] in _BASE:
        color, _ = _BASE[model[:-len(MT_SUFFIX)]]
        return Style(color=_darker(color), marker=_MT_MARKERS[index % len(_MT_MARKERS)],
                     label=model)
    return Style(color=_FALLBACK_COLORS[index % len(_FALLBACK_COLORS)],
                 marker=_FALLBACK_MARKERS[index % len(_FALLBACK_MARKERS)], label=model)


def line_kwargs(model: str) -> dict[str, object]:
    """Keyword arguments for ax.plot / ax.errorbar: colour, marker, hollow for wrk rows,
    label."""
    s = style(model)
    kwargs: dict[str, object] = {"color": s.color, "marker": s.marker, "label": s.label}
    if not s.filled:
        kwargs["markerfacecolor"] = "white"
    return kwargs


def dot_kwargs(model: str) -> dict[str, object]:
    """Keyword arguments for a dot (ax.errorbar without a line): line_kwargs, no line."""
    kwargs = line_kwargs(model)
    kwargs["linestyle"] = "none"
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


def delta_e(a: str, b: str) -> float:
    """CIE76 colour difference of two '#rrggbb' colours (Euclidean distance in L*a*b*)."""
    def lab(color: str) -> tuple[float, float, float]:
        rgb = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
        x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
        y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

        def f(t: float) -> float:
            return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
        return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))
    la, lb = lab(a), lab(b)
    return sum((p - q) ** 2 for p, q in zip(la, lb)) ** 0.5
