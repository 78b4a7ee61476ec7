"""make_report: draws charts/ and writes REPORT.md and report.html into a results folder.

    /usr/bin/python3 plots/make_report.py results/20250101T120000Z-host

Exit status: 0 written; 2 bad input, with one line on stderr saying what and how to fix it:
no such folder, no results.json, a corrupt or truncated one, or one that parses but no
corio-bench run can produce (no corio benchmark, a real time or a rate of 0 or less, a
negative counter, a duplicated row: see load.py). Bad input is refused before anything is
written, so an existing charts/ and REPORT.md stay byte-identical. Charts are drawn into a
temporary folder and swapped in whole, so a failure never leaves half of them behind;
REPORT.md and report.html (the same report as one self-contained page, report_html.py) are
written to hidden temporary files first and renamed over the old ones: an existing
report.html, too, stays byte-identical on bad input.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from corio_plots import report, report_html
from corio_plots.load import ResultsError, load_results

CHARTS_DIR = "charts"
REPORT_FILE = "REPORT.md"
HTML_FILE = "report.html"
META_FILE = "meta.json"


def read_meta(folder: Path) -> tuple[dict[str, Any], str | None]:
    """meta.json as a dict, and a note when it is missing or unreadable (never fatal: the
    report can be drawn from results.json alone)."""
    path = folder / META_FILE
    if not path.exists():
        return {}, f"{META_FILE} is missing: the run summary comes from results.json's context"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        return {}, f"{META_FILE} is unreadable ({e.__class__.__name__}); summary from context"
    if not isinstance(data, dict):
        return {}, f"{META_FILE} is not a JSON object; summary from context"
    return data, None


def make_report(folder: Path) -> report.Report:
    """Loads folder/results.json, draws folder/charts/ and writes folder/REPORT.md and
    folder/report.html.

    Raises ResultsError before writing anything when the results cannot be read.
    """
    if not folder.is_dir():
        raise ResultsError(f"{folder}: no such folder; pass a results folder written by "
                           "./run_all.sh")
    results = load_results(folder)
    meta, meta_note = read_meta(folder)
    staging = Path(tempfile.mkdtemp(prefix=".charts-", dir=folder))
    try:
        built = report.build(results, meta, staging, meta_note)
        # The links say charts/, not the staging name.
        text = built.markdown.replace(f"]({staging.name}/", f"]({CHARTS_DIR}/")
        # report.html inlines the charts, read from the staging folder before it is renamed.
        page = report_html.render(
            built.blocks, staging,
            title=f"corio-bench report: {meta.get('folder') or folder.name}")
        tmp_report = folder / f".{REPORT_FILE}.tmp"
        tmp_html = folder / f".{HTML_FILE}.tmp"
        tmp_report.write_text(text + "\n", encoding="utf-8")
        tmp_html.write_text(page, encoding="utf-8")
        final = folder / CHARTS_DIR
        old = folder / f".{CHARTS_DIR}-old-{os.getpid()}"
        if final.exists():
            final.rename(old)
        staging.rename(final)
        shutil.rmtree(old, ignore_errors=True)
        tmp_report.replace(folder / REPORT_FILE)
        tmp_html.replace(folder / HTML_FILE)
        built.charts = [final / p.name for p in built.charts]
        return built
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        for leftover in (folder / f".{REPORT_FILE}.tmp", folder / f".{HTML_FILE}.tmp"):
            leftover.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make_report.py",
        description="Draw charts/ (PNG and SVG) and write REPORT.md and report.html into a "
                    "results folder.")
    parser.add_argument("results_dir", type=Path, metavar="RESULTS_DIR",
                        help="a folder holding results.json (and meta.json) from ./run_all.sh")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    args = parser.parse_args(argv)
    try:
        built = make_report(args.results_dir)
    except ResultsError as e:
        print(f"make_report: {e}", file=sys.stderr)
        return 2
    if not args.quiet:
        stems = sorted({p.stem for p in built.charts})
        print(f"make_report: wrote {len(stems)} charts ({', '.join(stems) or 'none'}) and "
              f"{REPORT_FILE} with {len(built.findings)} findings, and {HTML_FILE}, to "
              f"{args.results_dir}")
    return 0
