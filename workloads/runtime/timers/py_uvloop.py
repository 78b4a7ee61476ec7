"""runtime/timers on uvloop: py_asyncio.py's code; only the event loop differs.

uvloop's timers count D from libuv's millisecond loop time, so they may fire up to 1 ms before
a task's own deadline (py_asyncio.py says why): the model reports may_fire_early.
"""

import py_asyncio
from model_protocol import serve_asyncio

py_asyncio.MAY_FIRE_EARLY = True

if __name__ == "__main__":
    serve_asyncio(py_asyncio.main, loop="uvloop")
