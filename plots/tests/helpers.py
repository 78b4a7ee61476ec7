"""Shared by the tests: fixture paths and a throw-away results folder."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corio_plots.load import Results
    from tests.fixtures.make_fixtures import Writer

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PLOTS = FIXTURES.parent.parent
VALID = FIXTURES / "valid.json"
REGRESSED = FIXTURES / "regressed.json"
PARTIAL = FIXTURES / "partial_runtime.json"
CORRUPT = FIXTURES / "corrupt_truncated.json"
NO_BENCHMARKS = FIXTURES / "no_benchmarks.json"
META = FIXTURES / "meta.json"


def results_folder(fixture: Path, with_meta: bool = False) -> Path:
    """A temporary results folder holding ``fixture`` as results.json; the caller removes it
    (addCleanup(shutil.rmtree, folder))."""
    folder = Path(tempfile.mkdtemp(prefix="corio-plots-test-"))
    shutil.copy(fixture, folder / "results.json")
    if with_meta:
        shutil.copy(META, folder / "meta.json")
    return folder


def load_rows(writer: Writer, context: dict | None = None) -> Results:
    """The rows a fixtures Writer holds, loaded as results (a throw-away results.json)."""
    from corio_plots.load import load_results

    folder = Path(tempfile.mkdtemp(prefix="corio-plots-rows-"))
    try:
        writer.write(folder / "results.json", context)
        return load_results(folder)
    finally:
        shutil.rmtree(folder)
