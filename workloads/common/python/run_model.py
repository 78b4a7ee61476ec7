"""Runs one Python model of the suite: ``python3 -s run_model.py MODEL.py [ARGS...]``.

MODEL.py is workloads/<group>/<workload>/<model>.py. corio-bench starts every Python model
through this file: the protocol models (harness/external_model.cpp) with no ARGS, and the
server models (workloads/common/python_server.cpp) with their command line (``--port PORT
...``), which the script sees as sys.argv[1:]. This folder is on the path, so the modules next
to this file are importable (model_protocol.py; fanout_tally.py and memory.py for the models
that share them; server_model.py and prefork.py for the servers), and the model's own folder
is before it (py_uvloop.py imports its py_asyncio.py), without touching the environment.
"""

import os
import runpy
import sys


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit("usage: run_model.py MODEL.py [ARGS...] (corio-bench runs this; see "
                 "model_protocol.py, or server_model.py for the servers)")
    script = sys.argv[1]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    sys.argv = sys.argv[1:]
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
