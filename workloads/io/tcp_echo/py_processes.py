"""io/tcp_echo's py_processes server: prefork workers with blocking sockets.

    /usr/bin/python3 -s workloads/common/python/run_model.py \
        workloads/io/tcp_echo/py_processes.py --port PORT --workers N [--ready-file PATH]

The C++ processes model in Python: N forked worker processes block in accept() on the shared
listening socket (no SO_REUSEPORT, as in the C++ model), each serving one connection at a time
with py_threads.py's blocking echo loop; one connection per worker, so the benchmark passes
N = its connection count. Each worker is its own interpreter with its own GIL. On SIGTERM the
parent stops the workers with SIGTERM (as the C++ model does), reaps them and exits 0. The
forking, the supervision and the ready file are workloads/common/python/prefork.py's.
"""

import signal

from prefork import run_prefork_server
from py_threads import echo_until_closed

if __name__ == "__main__":
    run_prefork_server(__doc__, echo_until_closed, signal.SIGTERM)
