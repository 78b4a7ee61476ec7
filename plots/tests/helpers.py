"""Shared by the tests: fixture paths and a throw-away results folder."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

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
