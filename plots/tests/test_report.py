"""make_report end to end on fixture folders: files written, exit statuses, nothing half-done."""

import shutil
import struct
import subprocess
import sys
import unittest
from pathlib import Path

from corio_plots import report
from corio_plots.cli import make_report
from tests.helpers import CORRUPT, NO_BENCHMARKS, PARTIAL, PLOTS, VALID, results_folder

MAKE_REPORT = PLOTS / "make_report.py"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    with path.open("rb") as f:
        header = f.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(MAKE_REPORT), *args], capture_output=True,
                          text=True, timeout=120, check=False)


class MakeReport(unittest.TestCase):
    def folder(self, fixture: Path, with_meta: bool = False) -> Path:
        folder = results_folder(fixture, with_meta)
        self.addCleanup(shutil.rmtree, folder)
        return folder

    def test_valid_results_give_every_chart_and_a_report(self) -> None:
        folder = self.folder(VALID, with_meta=True)
        done = run_cli(str(folder))
        self.assertEqual(done.returncode, 0, done.stderr)
        expected = {f"{stem}.{ext}" for stem in report.CHART_STEMS for ext in ("png", "svg")}
        self.assertEqual({p.name for p in (folder / "charts").iterdir()}, expected)
        for stem in report.CHART_STEMS:
            width, height = png_size(folder / "charts" / f"{stem}.png")
            self.assertEqual(width, 800, stem)
            self.assertGreater(height, 300, stem)
        text = (folder / "REPORT.md").read_text(encoding="utf-8")
        for stem in report.CHART_STEMS:
            self.assertIn(f"(charts/{stem}.png)", text)
        self.assertIn("## Findings", text)
        self.assertIn("corio 31 ns, libuv 120 ns (3.9x), asio 410 ns (13x)", text)
        self.assertIn("AMD EPYC 7B13", text)  # from meta.json
        self.assertIn("`runtime/sync/libuv/prim:semaphore/tasks:2/cap:1/ops:200000`: "
                      "check failed", text)
        self.assertNotIn(".charts-", text)
        self.assertEqual([p.name for p in folder.iterdir() if p.name.startswith(".")], [])

    def test_partial_results_draw_what_they_hold_and_note_the_rest(self) -> None:
        folder = self.folder(PARTIAL)
        built = make_report(folder)
        self.assertEqual({p.name for p in (folder / "charts").iterdir()},
                         {"runtime_cost.png", "runtime_cost.svg", "bytes_per_task.png",
                          "bytes_per_task.svg"})
        self.assertEqual({p.name for p in built.charts}, {p.name for p in
                                                          (folder / "charts").iterdir()})
        text = (folder / "REPORT.md").read_text(encoding="utf-8")
        self.assertIn("Not in this run", text)
        self.assertIn("- `io/sleep_fanout`", text)
        self.assertIn("meta.json is missing", text)
        self.assertNotIn("sleep_fanout.png", text)

    def test_redrawing_replaces_stale_charts(self) -> None:
        folder = self.folder(PARTIAL)
        (folder / "charts").mkdir()
        (folder / "charts" / "sleep_fanout.png").write_bytes(b"stale")
        make_report(folder)
        self.assertFalse((folder / "charts" / "sleep_fanout.png").exists())

    def test_corrupt_results_exit_2_with_one_line_and_write_nothing(self) -> None:
        for fixture in (CORRUPT, NO_BENCHMARKS):
            with self.subTest(fixture=fixture.name):
                folder = self.folder(fixture)
                done = run_cli(str(folder))
                self.assertEqual(done.returncode, 2)
                self.assertEqual(done.stdout, "")
                self.assertEqual(len(done.stderr.strip().splitlines()), 1, done.stderr)
                self.assertTrue(done.stderr.startswith("make_report: "))
                self.assertEqual(sorted(p.name for p in folder.iterdir()), ["results.json"])

    def test_missing_folder_exits_2(self) -> None:
        done = run_cli(str(PLOTS / "no-such-results"))
        self.assertEqual(done.returncode, 2)
        self.assertIn("no such folder", done.stderr)
        self.assertEqual(len(done.stderr.strip().splitlines()), 1)


if __name__ == "__main__":
    unittest.main()
