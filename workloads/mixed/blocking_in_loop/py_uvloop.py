"""mixed/blocking_in_loop's py_uvloop server: py_asyncio.py's code on uvloop's event loop (libuv).

    /usr/bin/python3 -s py_uvloop.py --port PORT --variant V --work W --work-ms N

Only the loop differs. A machine without Debian's python3-uvloop gets one line naming it and
exit status 2, so the row fails saying what to install.
"""

import sys

try:
    import uvloop
except ImportError:
    sys.stderr.write("py_uvloop: the Python module 'uvloop' is missing: install Debian's "
                     "python3-uvloop (apt-get install python3-uvloop, or scripts/install_deps.sh)\n")
    sys.exit(2)

from py_asyncio import main

if __name__ == "__main__":
    main(uvloop.new_event_loop)
