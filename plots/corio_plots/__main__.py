"""python3 -m corio_plots RESULTS_DIR (from plots/): the same as plots/make_report.py."""

import sys

from corio_plots.cli import main

sys.exit(main())
