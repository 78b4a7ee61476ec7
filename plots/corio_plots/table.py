"""A Markdown table: headers and rows of already formatted cells."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from corio_plots.stats import Stat, fmt_stat


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    caption: str = ""
    numeric: bool = True  # right-align every column but the first (numbers read best so)

    def add(self, *cells: str) -> None:
        self.rows.append(list(cells))

    def to_markdown(self) -> str:
        def cell(text: str) -> str:
            return text.replace("|", "\\|")

        lines = []
        if self.caption:
            lines += [self.caption, ""]
        lines.append("| " + " | ".join(cell(h) for h in self.headers) + " |")
        rest = "---:" if self.numeric else ":---"
        lines.append("|" + "|".join([":---"] + [rest] * (len(self.headers) - 1)) + "|")
        for row in self.rows:
            lines.append("| " + " | ".join(cell(c) for c in row) + " |")
        return "\n".join(lines)


def dash(value: object) -> str:
    """A placeholder for a cell the run did not measure."""
    return "–" if value is None else str(value)


def stat_cell(s: Stat | None, fmt: Callable[[float], str], primary: bool = False) -> str:
    """A measured value: 'median (min–max)', a dash when not measured. ``primary``: the
    row's headline value, which carries the row's unstable mark."""
    return dash(None) if s is None else fmt_stat(s, fmt, mark_unstable=primary)
