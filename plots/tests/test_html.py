"""report.html: written beside REPORT.md from the same blocks, self-contained, every text from
the data escaped, and left untouched by bad input. (tests/report_html_chromium.py loads it
in a real browser; ctest runs that as plots.report_html_chromium.)"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from corio_plots import report_html
from corio_plots.cli import HTML_FILE, make_report
from corio_plots.document import Bullets, Chart, Heading, Para, TableBlock, to_markdown
from corio_plots.table import Table
from tests.fixtures.make_fixtures import Writer
from tests.helpers import CORRUPT, PLOTS, VALID, results_folder
from tests.report_html_chromium import external_references


class Inline(unittest.TestCase):
    def test_code_and_bold_marks_and_everything_else_escaped(self) -> None:
        self.assertEqual(report_html.inline("**Q?** `a<b>` & <i>x</i>"),
                         "<strong>Q?</strong> <code>a&lt;b&gt;</code> &amp; "
                         "&lt;i&gt;x&lt;/i&gt;")

    def test_quotes_cannot_leave_an_attribute(self) -> None:
        self.assertNotIn('"', report_html.inline('" onmouseover="x'))


class InlineSvg(unittest.TestCase):
    SVG = ('<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
           '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">\n'
           '<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="576pt" height="345.6pt" '
           'viewBox="0 0 576 345.6" xmlns="http://www.w3.org/2000/svg" version="1.1">'
           '<defs><path id="m1" d="M 0 0"/><clipPath id="p2"><rect/></clipPath></defs>'
           '<use xlink:href="#m1" x="1"/><g clip-path="url(#p2)"/></svg>')

    def test_ids_prefixed_size_from_css_no_prolog(self) -> None:
        out = report_html.inline_svg(self.SVG, "sleep_fanout", 'wall "time"')
        self.assertTrue(out.startswith("<svg "))
        self.assertNotIn("<?xml", out)
        self.assertNotIn("DOCTYPE", out)
        self.assertNotIn('width="576pt"', out)
        self.assertIn('viewBox="0 0 576 345.6"', out)
        self.assertIn('id="sleep-fanout-m1"', out)
        self.assertIn('xlink:href="#sleep-fanout-m1"', out)
        self.assertIn('clip-path="url(#sleep-fanout-p2)"', out)
        self.assertIn('id="chart-sleep-fanout"', out)
        self.assertIn('aria-label="wall &quot;time&quot;"', out)


class Render(unittest.TestCase):
    def test_blocks_render_alike_in_both_formats(self) -> None:
        t = Table(["model", "wall"])
        t.add("<corio>", "12 ms (1)")
        blocks = [Heading(1, "r"), Heading(2, "Summary", anchor="summary"),
                  TableBlock(t, role="summary"), Para("see `x`"),
                  Bullets(["a", ("**b**", ["c"])]), Chart("missing_chart", "alt")]
        charts = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, charts)
        page = report_html.render(blocks, charts)
        self.assertIn('<table class="sortable numeric" id="summary-table">', page)
        self.assertIn("<td>&lt;corio&gt;</td>", page)
        self.assertIn('<h2 id="summary">Summary</h2>', page)
        self.assertIn("<li><strong>b</strong><ul><li>c</li></ul></li>", page)
        self.assertIn("Chart missing_chart was not drawn.", page)
        self.assertEqual(external_references(page), [])
        md = to_markdown(blocks, "charts")
        self.assertIn("| <corio> | 12 ms (1) |", md)
        self.assertIn("![alt](charts/missing_chart.png)", md)


class Written(unittest.TestCase):
    def folder(self, fixture: Path, with_meta: bool = False) -> Path:
        folder = results_folder(fixture, with_meta)
        self.addCleanup(shutil.rmtree, folder)
        return folder

    def test_valid_run_gives_a_page_with_every_chart_and_the_summary(self) -> None:
        folder = self.folder(VALID, with_meta=True)
        built = make_report(folder)
        page = (folder / HTML_FILE).read_text(encoding="utf-8")
        stems = sorted({p.stem for p in built.charts})
        self.assertEqual(sorted(re.findall(r'id="chart-([a-z-]+)"', page)),
                         sorted(s.replace("_", "-") for s in stems))
        self.assertEqual(page.count('id="summary-table"'), 1)
        self.assertEqual(external_references(page), [])
        self.assertNotIn("<?xml", page)
        # The same answers as REPORT.md, escaped.
        for a in built.answers:
            self.assertIn(html.escape(a.text, quote=True), page)
        text = (folder / "REPORT.md").read_text(encoding="utf-8")
        self.assertLess(text.index("## Summary"), text.index("## Machine and run"))
        self.assertLess(text.index("### Answers"), text.index("## Findings"))
        self.assertEqual([p.name for p in folder.iterdir() if p.name.startswith(".")], [])

    def test_text_from_the_data_is_escaped(self) -> None:
        w = Writer()
        evil = "<img src=x onerror=alert(1)>"
        for model in ("corio", evil):
            w.add(f"io/pipeline/{model}/consumers:4/capacity:16/items:1000/work:cpu", 10.0,
                  "ms", {"items_per_second": 1e5}, reps=3)
        folder = Path(tempfile.mkdtemp(prefix="corio-plots-html-"))
        self.addCleanup(shutil.rmtree, folder)
        w.write(folder / "results.json")
        make_report(folder)
        page = (folder / HTML_FILE).read_text(encoding="utf-8")
        self.assertNotIn(evil, page)
        self.assertIn(html.escape(evil), page)

    def test_bad_input_leaves_an_existing_page_byte_identical(self) -> None:
        folder = self.folder(CORRUPT)
        (folder / HTML_FILE).write_bytes(b"old page")
        (folder / "REPORT.md").write_bytes(b"old report")
        done = subprocess.run([sys.executable, str(PLOTS / "make_report.py"), str(folder)],
                              capture_output=True, text=True, timeout=120, check=False)
        self.assertEqual(done.returncode, 2, done.stderr)
        self.assertEqual((folder / HTML_FILE).read_bytes(), b"old page")
        self.assertEqual((folder / "REPORT.md").read_bytes(), b"old report")
        self.assertEqual(sorted(p.name for p in folder.iterdir()),
                         ["REPORT.md", "report.html", "results.json"])


if __name__ == "__main__":
    unittest.main()
