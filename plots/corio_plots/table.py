"""A Markdown table: headers and rows of already formatted cells."""

from __future__ import annotations

from dataclasses import dataclass, field


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
