"""report.html: the report's blocks as one self-contained page.

Rendered from the same blocks as REPORT.md (document.py), not converted from its Markdown.
Everything is inline: the charts as the SVG files charts/ holds (their ids prefixed with the
chart's stem, so two charts never share one), the style sheet, and a small script of our own
that sorts a table by the column whose header is clicked (numbers by value and unit: 31 ns
before 1.2 µs, 9,800 req/s before 1.1 M req/s). No network, no external file: the page reads
the same from a mail attachment as from the results folder. Every text that comes from the
data is escaped. The page is at most MAX_WIDTH_PX wide; a table wider than that scrolls inside
its own box, so a 1366 px laptop screen never scrolls sideways.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from corio_plots.document import Block, Bullets, Chart, Heading, Para, TableBlock
from corio_plots.table import Table

MAX_WIDTH_PX = 1280
SUMMARY_TABLE_ID = "summary-table"

_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def inline(text: str) -> str:
    """Escaped text with the two inline marks of document.py: `code` and **bold**."""
    out = html.escape(text, quote=True)
    out = _CODE.sub(r"<code>\1</code>", out)
    return _BOLD.sub(r"<strong>\1</strong>", out)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


_XML_PROLOG = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*", re.IGNORECASE)
_SVG_OPEN = re.compile(r"<svg\b[^>]*>", re.IGNORECASE)


def inline_svg(text: str, stem: str, alt: str) -> str:
    """A chart's SVG file made fit for inlining: no XML prolog or DOCTYPE, every id prefixed
    with the stem (matplotlib names markers and clip paths by a hash, which two charts may
    share), the fixed width and height replaced by the page's CSS (it scales to the column),
    a role and a label for screen readers."""
    body = _XML_PROLOG.sub("", text).strip()
    prefix = f"{_slug(stem)}-"
    body = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', body)
    body = re.sub(r'(xlink:href|href)="#([^"]+)"',
                  lambda m: f'{m.group(1)}="#{prefix}{m.group(2)}"', body)
    body = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})", body)

    def opening(m: re.Match[str]) -> str:
        tag = re.sub(r'\s(width|height)="[^"]*"', "", m.group(0))
        return (tag[:-1].rstrip("/") + f' class="chart" id="chart-{_slug(stem)}" role="img" '
                f'aria-label="{html.escape(alt, quote=True)}">')

    return _SVG_OPEN.sub(opening, body, count=1)


def _table(t: Table, table_id: str = "") -> str:
    ident = f' id="{table_id}"' if table_id else ""
    cls = "sortable" + (" numeric" if t.numeric else "")
    rows = ["<thead><tr>" + "".join(
        f'<th scope="col"><button type="button" class="sort" title="sort by this column">'
        f"{inline(h)}</button></th>" for h in t.headers) + "</tr></thead>", "<tbody>"]
    for row in t.rows:
        rows.append("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in row) + "</tr>")
    rows.append("</tbody>")
    caption = f"<p>{inline(t.caption)}</p>" if t.caption else ""
    return (f'{caption}<div class="table-wrap"><table class="{cls}"{ident}>'
            + "".join(rows) + "</table></div>")


def _bullets(b: Bullets) -> str:
    items = []
    for item in b.items:
        if isinstance(item, tuple):
            text, subs = item
            items.append(f"<li>{inline(text)}<ul>"
                         + "".join(f"<li>{inline(s)}</li>" for s in subs) + "</ul></li>")
        else:
            items.append(f"<li>{inline(item)}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def render(blocks: list[Block], charts_dir: Path, title: str = "corio-bench report") -> str:
    """The whole page. Charts come from charts_dir/<stem>.svg; a missing file is a line
    saying so (never a link to it)."""
    body: list[str] = []
    toc: list[tuple[str, str]] = []
    used: set[str] = set()
    for b in blocks:
        if isinstance(b, Heading):
            anchor = b.anchor or _slug(b.text)
            base, n = anchor, 2
            while anchor in used:
                anchor, n = f"{base}-{n}", n + 1
            used.add(anchor)
            if b.level == 2:
                toc.append((anchor, b.text))
            body.append(f'<h{b.level} id="{anchor}">{inline(b.text)}</h{b.level}>')
        elif isinstance(b, Para):
            body.append(f"<p>{inline(b.text)}</p>")
        elif isinstance(b, Bullets):
            body.append(_bullets(b))
        elif isinstance(b, TableBlock):
            body.append(_table(b.table, SUMMARY_TABLE_ID if b.role == "summary" else ""))
        elif isinstance(b, Chart):
            svg = charts_dir / f"{b.stem}.svg"
            if svg.is_file():
                body.append(f'<figure class="chart-figure">'
                            f"{inline_svg(svg.read_text(encoding='utf-8'), b.stem, b.alt)}"
                            f"<figcaption>{inline(b.alt)}</figcaption></figure>")
            else:
                body.append(f"<p class=\"missing\">Chart {inline(b.stem)} was not drawn.</p>")
    nav = ('<nav aria-label="sections"><ul>'
           + "".join(f'<li><a href="#{a}">{inline(t)}</a></li>' for a, t in toc)
           + "</ul></nav>")
    return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            f"<main>\n{nav}\n" + "\n".join(body) + "\n</main>\n"
            f"<script>{_SCRIPT}</script>\n</body>\n</html>\n")


_CSS = f"""
html {{ -webkit-text-size-adjust: 100%; }}
body {{ margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1b1f24; background: #fff; }}
main {{ max-width: {MAX_WIDTH_PX}px; margin: 0 auto; padding: 0 20px 40px;
  box-sizing: border-box; }}
nav ul {{ list-style: none; padding: 6px 0; margin: 0; display: flex; flex-wrap: wrap;
  gap: 2px 14px; border-bottom: 1px solid #d0d7de; font-size: 13px; }}
h1 {{ font-size: 22px; margin: 10px 0 4px; }}
h2 {{ font-size: 20px; margin: 24px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }}
h3 {{ font-size: 17px; margin: 20px 0 6px; }}
code {{ font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f3f4f6;
  padding: 0 3px; border-radius: 3px; overflow-wrap: anywhere; }}
p, li {{ max-width: 100ch; }}
.table-wrap {{ max-width: 100%; overflow-x: auto; margin: 8px 0 16px; }}
table {{ border-collapse: collapse; font-size: 13px; line-height: 1.3; }}
th, td {{ border: 1px solid #d0d7de; padding: 2px 5px; vertical-align: top; text-align: left; }}
table.numeric td + td {{ text-align: right; }}
thead th {{ background: #f6f8fa; position: sticky; top: 0; }}
tbody tr:nth-child(even) {{ background: #fafbfc; }}
button.sort {{ all: unset; cursor: pointer; font-weight: 600; }}
button.sort:focus-visible {{ outline: 2px solid #0969da; }}
th[aria-sort="ascending"] button.sort::after {{ content: " \\25B2"; }}
th[aria-sort="descending"] button.sort::after {{ content: " \\25BC"; }}
#{SUMMARY_TABLE_ID} td:not(:last-child) {{ white-space: nowrap; }}
#{SUMMARY_TABLE_ID} td:last-child {{ min-width: 24em; }}
figure.chart-figure {{ margin: 8px 0 16px; }}
svg.chart {{ display: block; width: 100%; max-width: 900px; height: auto; }}
figcaption {{ font-size: 13px; color: #57606a; }}
"""

# Sorts a table by the clicked column: cells that start with a number sort by its value in
# the cell's unit, dashes last, text alphabetically; a second click reverses the order.
_SCRIPT = r"""
(function () {
  "use strict";
  var SCALE = {"ns": 1e-9, "\u00b5s": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1,
               "B": 1, "KiB": 1024, "MiB": 1048576, "GiB": 1073741824, "M": 1e6};
  function sortKey(text) {
    var m = /^\s*=?\s*(-?[0-9][0-9,]*(?:\.[0-9]+)?)\s*([^\s(]*)/.exec(text);
    if (!m) { return {kind: text.trim() === "\u2013" || text.trim() === "" ? 2 : 1, text: text}; }
    var unit = m[2].replace(/\/s$|x$|%$/, "");
    var value = parseFloat(m[1].replace(/,/g, "")) * (SCALE[unit] || 1);
    return {kind: 0, value: value, text: text};
  }
  function sortBy(table, column, th) {
    var body = table.tBodies[0];
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
      var cell = row.cells[column];
      return {row: row, index: i, key: sortKey(cell ? cell.textContent : "")};
    });
    rows.sort(function (a, b) {
      if (a.key.kind !== b.key.kind) { return a.key.kind - b.key.kind; }
      var c = a.key.kind === 0 ? a.key.value - b.key.value : a.key.text.localeCompare(b.key.text);
      if (!ascending) { c = -c; }
      return c !== 0 ? c : a.index - b.index;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      var button = th.querySelector("button.sort");
      if (button) {
        button.addEventListener("click", function () { sortBy(table, column, th); });
      }
    });
  });
})();
"""
