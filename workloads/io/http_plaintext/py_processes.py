"""io/http_plaintext's py_processes server: prefork workers with blocking sockets.

    /usr/bin/python3 -s workloads/common/python/run_model.py \
        workloads/io/http_plaintext/py_processes.py --port PORT --workers N [--ready-file PATH]

The C++ processes model in Python (Apache's prefork MPM, gunicorn's sync workers): N forked
worker processes block in accept() on the shared listening socket (no SO_REUSEPORT, as in the
C++ model), each serving one connection at a time, start to end, with py_threads.py's blocking
loop; one connection per worker, so the benchmark passes N = its connection count. Each worker
is its own interpreter with its own GIL. On SIGTERM the parent kills the workers (SIGKILL, as
the C++ model does), reaps them and exits 0. The forking, the supervision and the ready file
are workloads/common/python/prefork.py's.
"""

import signal

from prefork import run_prefork_server
from py_threads import serve_connection

if __name__ == "__main__":
    run_prefork_server(__doc__, serve_connection, signal.SIGKILL)
