#!/usr/bin/env python3
"""Draws charts/ and writes REPORT.md and report.html into a results folder:
make_report.py RESULTS_DIR.

Run it with a Python that can import matplotlib (Debian's /usr/bin/python3); ./run_all.sh
report DIR picks one for you. See plots/README.md.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corio_plots.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
