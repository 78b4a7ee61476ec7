#!/usr/bin/env python3
"""report.html in a real browser: headless Chromium (Debian's chromium) at 1366 x 768.

Writes the report of the valid fixture (every chart, 3 repetitions) into a temporary folder,
then loads a copy of its report.html into which a probe is injected: a first script that
records every error the page raises, and a last one that, once the page has loaded, clicks
the summary table's "model" header (the sort script must reorder its rows) and writes what it
saw into the DOM as JSON, which --dump-dom prints. The test fails unless:

- the page raised no JavaScript error and Chromium logged no console error;
- every chart of charts/*.svg is in the page as an inline <svg>, drawn with a width > 0 and
  inside the 1366 px window;
- the summary table is there, with a row per model, and sorts;
- the document is no wider than the 1366 px window (scrollWidth), so nothing scrolls
  sideways on a laptop screen;
- the page asks for nothing outside itself (no src=, no <link>, no http(s) URL in an
  attribute).

Exit status: 0 passed, 1 failed (each failure on one line), 77 Chromium is not installed
(ctest's SKIP_RETURN_CODE: install Debian's chromium, scripts/install_deps.sh does).

    /usr/bin/python3 plots/tests/report_html_chromium.py             # the valid fixture
    /usr/bin/python3 plots/tests/report_html_chromium.py results/reference   # a copy of a run
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLOTS = HERE.parent
sys.path.insert(0, str(PLOTS))

from corio_plots.cli import HTML_FILE, make_report  # noqa: E402

SKIP = 77
WIDTH, HEIGHT = 1366, 768
BROWSERS = ("chromium", "chromium-browser")
TIMEOUT_S = 90

PROBE_FIRST = """<script>
window.__errors = [];
window.addEventListener("error", function (e) { window.__errors.push(String(e.message)); });
window.addEventListener("unhandledrejection", function (e) {
  window.__errors.push("unhandled rejection: " + String(e.reason)); });
</script>"""

PROBE_LAST = """<script>
window.addEventListener("load", function () {
  var out = {errors: window.__errors, charts: [], summaryRows: 0, sorted: [], sortState: "",
             scrollWidth: document.documentElement.scrollWidth,
             innerWidth: window.innerWidth};
  try {
    document.querySelectorAll("svg.chart").forEach(function (svg) {
      var r = svg.getBoundingClientRect();
      out.charts.push({id: svg.id, width: r.width, height: r.height, right: r.right});
    });
    var table = document.getElementById("summary-table");
    if (table) {
      out.summaryRows = table.tBodies[0].rows.length;
      var th = table.tHead.rows[0].cells[0];
      th.querySelector("button").click();
      out.sortState = th.getAttribute("aria-sort") || "";
      out.sorted = Array.prototype.map.call(table.tBodies[0].rows, function (row) {
        return row.cells[0].textContent; });
    }
  } catch (e) {
    out.errors.push("probe: " + String(e));
  }
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def find_browser() -> str | None:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def external_references(page: str) -> list[str]:
    """Attributes and elements that would load something from outside the page."""
    found = re.findall(r"<(?:link|iframe|object|embed)\b[^>]*>", page, re.IGNORECASE)
    found += re.findall(r"\ssrc\s*=\s*[\"'][^\"']*[\"']", page, re.IGNORECASE)
    found += re.findall(r"(?:href|src|action)\s*=\s*[\"']\s*(?:https?:|//)[^\"']*[\"']", page,
                        re.IGNORECASE)
    found += re.findall(r"url\(\s*[\"']?\s*(?:https?:|//)[^)]*\)", page, re.IGNORECASE)
    return found


def run_browser(browser: str, page: Path, profile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [browser, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
         "--no-default-browser-check", "--disable-extensions", "--disable-sync",
         "--disable-background-networking", "--disable-dev-shm-usage", "--hide-scrollbars",
         "--mute-audio",
         f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom",
         page.as_uri()],
        capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
        env={**os.environ, "HOME": str(profile)})


def check(folder: Path, browser: str) -> list[str]:
    """The failures, one line each (empty: passed)."""
    failures: list[str] = []
    make_report(folder)
    page_path = folder / HTML_FILE
    page = page_path.read_text(encoding="utf-8")
    failures += [f"report.html refers outside itself: {ref[:120]}"
                 for ref in external_references(page)]
    stems = sorted(p.stem for p in (folder / "charts").glob("*.svg"))
    if not stems:
        failures.append("the fixture's report drew no chart")
    probe_page = folder / "probe.html"
    probed = page.replace("<head>", "<head>\n" + PROBE_FIRST, 1)
    probed = probed.replace("</body>", PROBE_LAST + "\n</body>", 1)
    probe_page.write_text(probed, encoding="utf-8")
    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-"))
    try:
        done = run_browser(browser, probe_page, profile)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    console = [line for line in done.stderr.splitlines()
               if "CONSOLE" in line and re.search(r"error|uncaught", line, re.IGNORECASE)]
    failures += [f"console: {line.strip()[:200]}" for line in console]
    match = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.DOTALL)
    if done.returncode != 0 or match is None:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
        return failures + [f"chromium exited {done.returncode} without the probe's output "
                           f"(stderr: {tail[:400]})"]
    probe = json.loads(match.group(1).replace("&quot;", '"').replace("&lt;", "<")
                       .replace("&gt;", ">").replace("&amp;", "&"))
    failures += [f"JavaScript error: {e}" for e in probe["errors"]]
    drawn = {c["id"]: c for c in probe["charts"]}
    for stem in stems:
        chart = drawn.get(f"chart-{stem.replace('_', '-')}")
        if chart is None:
            failures.append(f"chart {stem} is not in the page as an inline <svg>")
        elif chart["width"] <= 0 or chart["height"] <= 0:
            failures.append(f"chart {stem} is drawn {chart['width']} x {chart['height']} px")
        elif chart["right"] > WIDTH:
            failures.append(f"chart {stem} ends at {chart['right']:.0f} px, beyond {WIDTH}")
    if probe["summaryRows"] < 2:
        failures.append(f"the summary table has {probe['summaryRows']} rows (or is missing)")
    elif probe["sorted"] != sorted(probe["sorted"]) or probe["sortState"] != "ascending":
        failures.append(f"clicking the summary table's model header did not sort it: "
                        f"{probe['sorted']} ({probe['sortState'] or 'no aria-sort'})")
    if probe["scrollWidth"] > WIDTH:
        failures.append(f"the page is {probe['scrollWidth']} px wide, wider than the {WIDTH} px "
                        "window: it scrolls sideways")
    return failures


def main() -> int:
    browser = find_browser()
    if browser is None:
        print("report_html_chromium: SKIP: no chromium on PATH (Debian's chromium package; "
              "scripts/install_deps.sh installs it)")
        return SKIP
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    folder = Path(tempfile.mkdtemp(prefix="corio-report-html-"))
    try:
        if source is None:
            shutil.copy(HERE / "fixtures" / "valid.json", folder / "results.json")
            shutil.copy(HERE / "fixtures" / "meta.json", folder / "meta.json")
        else:  # a results folder of one's own, re-drawn in a copy (never written in place)
            shutil.copy(source / "results.json", folder / "results.json")
            if (source / "meta.json").is_file():
                shutil.copy(source / "meta.json", folder / "meta.json")
        failures = check(folder, browser)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for f in failures:
        print(f"report_html_chromium: FAIL: {f}")
    if failures:
        return 1
    print(f"report_html_chromium: report.html loads in {Path(browser).name} at {WIDTH}x{HEIGHT} "
          "without errors, with every chart, the summary table (sortable) and no sideways "
          "scrolling")
    return 0


if __name__ == "__main__":
    sys.exit(main())
