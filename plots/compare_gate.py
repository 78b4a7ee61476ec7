#!/usr/bin/env python3
"""Entry point for corio_plots.compare_gate: see plots/corio_plots/compare_gate.py."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corio_plots.compare_gate import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
