"""io/tcp_echo's py_uvloop server: py_asyncio.py's code on uvloop's event loop (libuv).

    /usr/bin/python3 -s workloads/common/python/run_model.py \
        workloads/io/tcp_echo/py_uvloop.py --port PORT

Only the loop differs. A machine without Debian's python3-uvloop gets one line naming it and
exit status 2, so the row fails saying what to install (server_model.uvloop_loop_factory).
"""

from py_asyncio import main
from server_model import uvloop_loop_factory

if __name__ == "__main__":
    main(uvloop_loop_factory())
