"""Runs one Python model of the suite: ``python3 -s run_model.py workloads/<g>/<w>/<model>.py``.

corio-bench starts every Python model through this file (harness/external_model.cpp), so that
the protocol module next to it (model_protocol.py) is importable and the model's own folder is
on the path (py_uvloop.py imports its py_asyncio.py), without touching the environment.
"""

import os
import runpy
import sys


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: run_model.py MODEL.py (corio-bench runs this; see model_protocol.py)")
    script = sys.argv[1]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    sys.argv = [script]
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
