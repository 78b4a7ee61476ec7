"""The report as blocks, rendered to Markdown (REPORT.md) and HTML (report.html) alike.

report.build() assembles a list of blocks from the data; to_markdown() writes REPORT.md from
it and html.render() writes report.html from the same blocks, so the two never disagree.
Text in a block may hold two inline marks, written the Markdown way: `code` and **bold**;
every other character is data and is escaped by the HTML renderer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corio_plots.table import Table


@dataclass
class Heading:
    level: int  # 1 = the title, 2 = a section, 3 = a part
    text: str
    anchor: str = ""  # an id for the HTML renderer ("summary"); empty: none


@dataclass
class Para:
    text: str


@dataclass
class Bullets:
    """A list; an item with sub-items is (text, [sub-items])."""

    items: list[str | tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class TableBlock:
    table: Table
    role: str = ""  # "summary" for the decision table (report.html and its test find it so)


@dataclass
class Chart:
    stem: str  # charts/<stem>.png|svg
    alt: str


Block = Heading | Para | Bullets | TableBlock | Chart


def to_markdown(blocks: list[Block], charts_rel: str) -> str:
    """REPORT.md's text: blocks separated by blank lines, charts linked as charts_rel/stem.png."""
    lines: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            lines += ["#" * b.level + " " + b.text, ""]
        elif isinstance(b, Para):
            lines += [b.text, ""]
        elif isinstance(b, Bullets):
            for item in b.items:
                if isinstance(item, tuple):
                    text, subs = item
                    lines.append(f"- {text}")
                    lines += [f"  - {s}" for s in subs]
                else:
                    lines.append(f"- {item}")
            lines.append("")
        elif isinstance(b, TableBlock):
            lines += [b.table.to_markdown(), ""]
        elif isinstance(b, Chart):
            lines += [f"![{b.alt}]({charts_rel}/{b.stem}.png)", ""]
    return "\n".join(lines)
