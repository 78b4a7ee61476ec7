"""Every chart is readable: no two texts overlap, every model keeps a colour/marker pair of
its own, and every axis shows the data's range with ticks on it, not stretched beyond it.

Each chart is drawn from the fixtures through report.build with the Agg backend;
figure.save is wrapped so the test gets each Figure after its final layout (tight layout,
decluttered tick labels), as it was written. The checks, with their helpers, also run on
small hand-made figures that break them, so they are known to fail when they should.
"""

from __future__ import annotations

import itertools
import math
import shutil
import tempfile
import unittest
from pathlib import Path
from typing import Any
from unittest import mock

import matplotlib
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from corio_plots import colors, figure, report, schema
from corio_plots.load import load_results
from tests.fixtures import make_fixtures
from tests.helpers import PLOTS, VALID, load_rows

REFERENCE = PLOTS.parent / "results" / "reference"

# An axis may extend beyond its data by this much: on a log axis, decades in all (both
# sides together); on a linear axis, a fraction of the data's span (from 0 for quantities
# drawn from zero).
LOG_SLACK_DECADES = 1.2
LINEAR_SLACK = 0.5
TOUCH_PX = 0.5  # boxes that share less than this are not overlapping (anti-aliasing)


def render_all(results: Any) -> dict[str, Figure]:
    """Every chart report.build draws for ``results``, by stem, after its final layout."""
    figures: dict[str, Figure] = {}
    real_save = figure.save

    def capture(fig: Figure, out_dir: Path, stem: str, *args: Any, **kwargs: Any) -> list[Path]:
        written = real_save(fig, out_dir, stem, *args, **kwargs)
        figures[stem] = fig
        return written

    folder = Path(tempfile.mkdtemp(prefix="corio-readability-"))
    try:
        with mock.patch.object(figure, "save", capture):
            report.build(results, None, folder / "charts")
    finally:
        shutil.rmtree(folder)
    return figures


def visible_texts(fig: Figure) -> list[tuple[str, Text]]:
    """(what, artist) for every text that is drawn: drawn tick labels only (matplotlib keeps
    tick objects outside the view), titles, axis labels, annotations, legends, figure texts."""
    out: list[tuple[str, Text]] = []

    def add(what: str, t: Text | None) -> None:
        if t is not None and t.get_visible() and t.get_text().strip():
            out.append((what, t))

    for i, ax in enumerate(fig.axes):
        if not ax.get_visible():
            continue
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            for tick in figure.drawn_ticks(axis):
                if tick.label1.get_visible():
                    add(f"ax{i} {name} tick", tick.label1)
                if tick.label2.get_visible():
                    add(f"ax{i} {name} tick", tick.label2)
            add(f"ax{i} {name} label", axis.label)
            add(f"ax{i} {name} offset", axis.get_offset_text())
        for title in (ax.title, ax._left_title, ax._right_title):  # noqa: SLF001
            add(f"ax{i} title", title)
        for t in ax.texts:
            add(f"ax{i} text", t)
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            for t in legend.get_texts():
                add(f"ax{i} legend", t)
            add(f"ax{i} legend title", legend.get_title())
    for legend in fig.legends:
        for t in legend.get_texts():
            add("figure legend", t)
    suptitle = fig._suptitle  # noqa: SLF001
    for t in fig.texts:
        if t is not suptitle:
            add("figure text", t)
    add("suptitle", suptitle)
    return out


def overlapping_texts(fig: Figure) -> list[str]:
    """Pairs of drawn texts whose boxes overlap, and texts that leave the figure."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(what, t.get_text(), t.get_window_extent(renderer)) for what, t in
             visible_texts(fig)]
    problems = []
    for (wa, ta, a), (wb, tb, b) in itertools.combinations(boxes, 2):
        if (min(a.x1, b.x1) - max(a.x0, b.x0) > TOUCH_PX and
                min(a.y1, b.y1) - max(a.y0, b.y0) > TOUCH_PX):
            problems.append(f"{wa} {ta!r} overlaps {wb} {tb!r}")
    width, height = fig.canvas.get_width_height()
    for what, text, box in boxes:
        if box.x0 < -TOUCH_PX or box.y0 < -TOUCH_PX or box.x1 > width + TOUCH_PX or \
                box.y1 > height + TOUCH_PX:
            problems.append(f"{what} {text!r} leaves the figure")
    return problems


def _is_data_line(line: Line2D) -> bool:
    marker = line.get_marker()
    return (line.get_visible() and line.get_gid() != "reference" and
            marker not in (None, "", " ", "None", "none"))


def data_values(ax: Any) -> tuple[list[float], list[float]]:
    """The x and y of every measured point on ``ax``, error bars included: lines with markers,
    errorbar segments, scatter dots. Reference lines (ideal, Little's law) have no marker or
    gid 'reference' and do not count."""
    xs: list[float] = []
    ys: list[float] = []
    for line in ax.get_lines():
        if _is_data_line(line):
            xs += [float(v) for v in line.get_xdata()]
            ys += [float(v) for v in line.get_ydata()]
    for coll in ax.collections:
        if not coll.get_visible() or coll.get_gid() == "reference":
            continue
        if isinstance(coll, LineCollection):
            for seg in coll.get_segments():
                xs += [float(v) for v in seg[:, 0]]
                ys += [float(v) for v in seg[:, 1]]
        elif isinstance(coll, PathCollection):
            offsets = coll.get_offsets()
            xs += [float(v) for v in offsets[:, 0]]
            ys += [float(v) for v in offsets[:, 1]]
    keep = [(x, y) for x, y in zip(xs, ys) if math.isfinite(x) and math.isfinite(y)]
    return [x for x, _ in keep], [y for _, y in keep]


def _numeric(label: str) -> bool:
    if label.startswith("$") and label.endswith("$"):  # matplotlib's mathtext: 10^{3}
        return True
    try:
        float(label.replace(",", "").replace("−", "-").replace("x", "").replace("%", ""))
        return True
    except ValueError:
        return False


def axis_problems(fig: Figure) -> list[str]:
    """For each axis with data: the data inside the view, the view not stretched beyond the
    data (LOG_SLACK_DECADES, LINEAR_SLACK; for panels sharing an axis, the data of them all,
    since one view serves every panel), and at least two labelled ticks on the data's range
    (one when the data is a single value)."""
    fig.canvas.draw()
    problems = []
    for i, ax in enumerate(fig.axes):
        xs, ys = data_values(ax)
        if not xs:
            continue
        for name, axis, values, (v0, v1) in (("x", ax.xaxis, xs, ax.get_xlim()),
                                              ("y", ax.yaxis, ys, ax.get_ylim())):
            v0, v1 = min(v0, v1), max(v0, v1)
            lo, hi = min(values), max(values)
            where = f"ax{i} ({ax.get_title()!r}) {name}"
            log = axis.get_scale() == "log"
            span = hi - lo
            eps = (v1 - v0) * 1e-6
            if lo < v0 - eps or hi > v1 + eps:
                problems.append(f"{where}: data {lo:g}..{hi:g} outside the view {v0:g}..{v1:g}")
                continue
            # Shared axes label one panel only: the labels of any sibling count.
            shared = (ax.get_shared_x_axes() if name == "x" else ax.get_shared_y_axes())
            sibling_axes = shared.get_siblings(ax)
            siblings = [getattr(s, f"{name}axis") for s in sibling_axes]
            # The view must fit every sharing panel's data, so it may stretch beyond this one's.
            shared_values = [v for sib in sibling_axes
                             for v in data_values(sib)[0 if name == "x" else 1]]
            shared_lo, shared_hi = min(shared_values), max(shared_values)
            labels = [(t.get_loc(), t.label1.get_text()) for sib in siblings
                      for t in figure.drawn_ticks(sib)
                      if t.label1.get_visible() and t.label1.get_text()]
            categorical = labels and sum(not _numeric(text) for _, text in labels) > len(
                labels) / 2
            if categorical:
                continue
            if log:
                stretch = math.log10(v1 / v0) - math.log10(shared_hi / shared_lo)
                if stretch > LOG_SLACK_DECADES:
                    problems.append(f"{where}: view {v0:g}..{v1:g} stretches {stretch:.1f} "
                                    f"decades beyond the data {shared_lo:g}..{shared_hi:g}")
                on = [loc for loc, _ in labels if lo / 1.05 <= loc <= hi * 1.05]
            else:
                base = min(shared_lo, 0.0) if v0 <= 0 <= shared_lo else shared_lo
                allowed = (shared_hi - base) * (1 + LINEAR_SLACK) + eps * 1e6 * 1e-9
                if shared_hi > shared_lo and v1 - v0 > allowed:
                    problems.append(f"{where}: view {v0:g}..{v1:g} stretched beyond the data "
                                    f"{shared_lo:g}..{shared_hi:g}")
                pad = (span or abs(hi) or 1.0) * 0.05
                on = [loc for loc, _ in labels if lo - pad <= loc <= hi + pad]
            need = 1 if span == 0 or (log and hi / lo < 1.2) else 2
            if len(on) < need:
                problems.append(f"{where}: {len(on)} labelled ticks on the data's range "
                                f"{lo:g}..{hi:g} (ticks: {[text for _, text in labels]})")
    return problems


def all_styles() -> dict[str, colors.Style]:
    models = [*colors.KNOWN_MODELS, *schema.MODELS]
    models += [f"{schema.WRK_PREFIX}{m}" for m in colors.KNOWN_MODELS]
    models += ["tokio_mt", "go_mt", "py_asyncio_mt"]
    return {m: colors.style(m) for m in dict.fromkeys(models)}


class Styles(unittest.TestCase):
    def test_every_model_has_its_own_colour_marker_pair(self) -> None:
        seen: dict[tuple[str, str, bool], str] = {}
        for model, s in all_styles().items():
            key = (s.color, repr(s.marker), s.filled)
            with self.subTest(model=model):
                self.assertNotIn(key, seen, f"{model} looks like {seen.get(key)}")
            seen[key] = model

    def test_known_models_differ_in_colour_and_in_marker(self) -> None:
        known = colors.KNOWN_MODELS
        for a, b in itertools.combinations(known, 2):
            sa, sb = colors.style(a), colors.style(b)
            with self.subTest(pair=(a, b)):
                self.assertGreaterEqual(colors.delta_e(sa.color, sb.color), colors.MIN_DELTA_E)
                self.assertNotEqual(repr(sa.marker), repr(sb.marker))
        for model in ("py_asyncio", "py_uvloop", "py_threads", "py_processes", "go", "tokio",
                      "corio_mt", "asio_mt", "nginx"):
            self.assertIn(model, known)

    def test_wrk_rows_keep_their_models_colour_and_shape_hollow(self) -> None:
        for model in colors.KNOWN_MODELS:
            s, wrk = colors.style(model), colors.style(schema.WRK_PREFIX + model)
            self.assertEqual((wrk.color, wrk.marker, wrk.filled), (s.color, s.marker, False))


class Checks(unittest.TestCase):
    """The checks themselves fail on figures that break them."""

    def test_overlapping_texts_are_found(self) -> None:
        fig = Figure(figsize=(4, 3), dpi=100)
        matplotlib.backends.backend_agg.FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.plot([1, 2], [1, 2], marker="o")
        ax.annotate("a long label here", (1.5, 1.5))
        ax.annotate("another long label", (1.52, 1.5))
        self.assertTrue(overlapping_texts(fig))

    def test_stretched_axes_and_missing_ticks_are_found(self) -> None:
        fig = Figure(figsize=(4, 3), dpi=100)
        matplotlib.backends.backend_agg.FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.plot([10, 20], [10, 12], marker="o")
        ax.plot([1, 1e6], [1, 1e6], linestyle="--")  # a reference line: not data
        ax.set_xscale("log")
        ax.set_yscale("log")
        problems = " ".join(axis_problems(fig))
        self.assertIn("stretches", problems)
        self.assertIn("labelled ticks", problems)
        fig2 = Figure(figsize=(4, 3), dpi=100)
        matplotlib.backends.backend_agg.FigureCanvasAgg(fig2)
        ax2 = fig2.add_subplot()
        ax2.plot([10, 20], [10, 12], marker="o")
        figure.log_axis(ax2, "x", [10, 20])
        figure.log_axis(ax2, "y", [10, 12])
        self.assertEqual(axis_problems(fig2), [])

    def test_a_shared_axis_is_judged_by_the_data_of_every_panel_sharing_it(self) -> None:
        def two_panels(top: float) -> Figure:
            fig = Figure(figsize=(6, 3), dpi=100)
            matplotlib.backends.backend_agg.FigureCanvasAgg(fig)
            left, right = fig.subplots(ncols=2, sharey=True)
            left.plot([1, 2], [0.5, 2.0], marker="o")
            right.plot([1, 2], [0.5, 3.5], marker="o")
            left.set_ylim(0, top)
            return fig
        # The left panel's view reaches 4.2 for the right panel's 3.5: not stretched.
        self.assertEqual(axis_problems(two_panels(4.2)), [])
        # Beyond what any panel sharing it shows: stretched.
        self.assertIn("stretched", " ".join(axis_problems(two_panels(8.0))))


class Charts(unittest.TestCase):
    """valid.json: the fixture every other test reads (3 repetitions, error bars)."""

    figures: dict[str, Figure]

    @classmethod
    def load(cls) -> Any:
        return load_results(VALID)

    @classmethod
    def setUpClass(cls) -> None:
        cls.figures = render_all(cls.load())

    @classmethod
    def tearDownClass(cls) -> None:
        import matplotlib.pyplot as plt
        plt.close("all")

    def test_every_chart_is_drawn(self) -> None:
        self.assertEqual(set(self.figures), set(report.CHART_STEMS))

    def test_no_two_texts_overlap(self) -> None:
        for stem, fig in self.figures.items():
            with self.subTest(chart=stem):
                self.assertEqual(overlapping_texts(fig), [])

    def test_axes_show_the_data_with_ticks_on_it(self) -> None:
        for stem, fig in self.figures.items():
            with self.subTest(chart=stem):
                self.assertEqual(axis_problems(fig), [])


class CrowdedCharts(Charts):
    """make_fixtures.charts(): every model (Python, Go, tokio too), full sweeps, wrk rows,
    the 503 mode, a failed run: each chart at its most crowded."""

    @classmethod
    def load(cls) -> Any:
        return load_rows(make_fixtures.charts())


class ReferenceCharts(Charts):
    """results/reference: the committed full run the README's charts come from (read only)."""

    @classmethod
    def load(cls) -> Any:
        return load_results(REFERENCE)

    @classmethod
    def setUpClass(cls) -> None:
        if not (REFERENCE / "results.json").is_file():
            raise unittest.SkipTest("no results/reference/results.json")
        super().setUpClass()


if __name__ == "__main__":
    unittest.main()
