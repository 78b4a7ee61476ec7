"""The Python side of the suite's model protocol (harness/external_model.hpp has the whole of it).

A Python model is a function from one parameter point (a dict, the workload's Params as JSON)
to a result (a dict, the workload's Result as JSON). ``serve`` runs it for corio-bench: it says
ready, then for each request line runs the work, timing only the work with
time.perf_counter(), and answers one JSON line::

    -> {"params": {...}}
    <- {"result": {...}, "seconds": 0.0123}     or     {"error": "ValueError: ..."}

``serve_asyncio`` does the same for a coroutine function, run by a fresh event loop per call
(asyncio.run, as the docs teach; the loop's set-up and tear-down are timed, as a C++ model's
corio::run is): the default loop for py_asyncio, uvloop's for py_uvloop. Nothing else may
print on stdout: the models write nothing, and anything a library prints goes to stderr.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import traceback
from typing import Any, Awaitable, Callable

Params = dict[str, Any]
Result = dict[str, Any]

# Where each optional package comes from, for the one line a missing one gets.
DEBIAN_PACKAGES = {"uvloop": "python3-uvloop", "aiohttp": "python3-aiohttp"}


def _say(message: dict[str, Any], out) -> None:
    out.write(json.dumps(message) + "\n")
    out.flush()


def _describe(error: BaseException) -> str:
    where = traceback.extract_tb(error.__traceback__)
    last = f" (at {where[-1].filename.rsplit('/', 1)[-1]}:{where[-1].lineno})" if where else ""
    return f"{type(error).__name__}: {error}{last}"


def import_or_explain(module: str):
    """Imports an optional package; a missing one is one line naming the Debian package."""
    try:
        return __import__(module)
    except ImportError:
        package = DEBIAN_PACKAGES.get(module, f"python3-{module}")
        refuse(f"the Python module '{module}' is missing: install Debian's {package} "
               f"(apt-get install {package}, or scripts/install_deps.sh)")


def refuse(reason: str) -> None:
    """Tells corio-bench this model cannot run at all (instead of the ready line), and exits."""
    _say({"error": reason}, sys.stdout)
    sys.exit(2)


def serve(work: Callable[[Params], Result]) -> None:
    """Answers corio-bench's requests with ``work`` until stdin ends."""
    # Whatever the work or a library prints must not corrupt the replies: the protocol keeps
    # the real stdout, and print() goes to stderr.
    out = sys.stdout
    sys.stdout = sys.stderr
    _say({"ready": True}, out)
    for line in sys.stdin:
        try:
            params = json.loads(line)["params"]
            start = time.perf_counter()
            result = work(params)
            seconds = time.perf_counter() - start
        except Exception as error:  # the run fails with its message; the child stays usable
            _say({"error": _describe(error)}, out)
            continue
        _say({"result": result, "seconds": seconds}, out)


def serve_asyncio(main: Callable[[Params], Awaitable[Result]], loop: str = "asyncio") -> None:
    """``serve`` for a coroutine function, on a fresh event loop per call."""
    if loop == "uvloop":
        uvloop = import_or_explain("uvloop")
        factory = uvloop.new_event_loop
    elif loop == "asyncio":
        factory = None
    else:
        raise ValueError(f"unknown loop {loop!r}: asyncio or uvloop")

    def work(params: Params) -> Result:
        with asyncio.Runner(loop_factory=factory) as runner:
            return runner.run(main(params))

    serve(work)
