"""io/http_plaintext's py_processes server: prefork workers with blocking sockets (py_prefork.py).

    /usr/bin/python3 -s py_processes.py --port PORT --workers N [--ready-file PATH]

The C++ processes model in Python (Apache's prefork MPM, gunicorn's sync workers): N forked
worker processes block in accept() on the shared listening socket (no SO_REUSEPORT, as in the
C++ model), each serving one connection at a time, start to end, with py_threads.py's blocking
loop; one connection per worker, so the benchmark passes N = its connection count. Each worker
is its own interpreter with its own GIL. On SIGTERM the parent kills the workers (SIGKILL, as
the C++ model does), reaps them and exits 0.
"""

import argparse
import signal

from py_asyncio import raise_descriptor_limit
from py_prefork import listening_socket, prefork
from py_threads import serve_connection


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--ready-file", default="",
                        help="created once every worker is forked (the benchmark waits for it)")
    args = parser.parse_args()
    if not 1 <= args.workers <= 4096:
        parser.error("--workers must be 1 to 4096")
    raise_descriptor_limit()
    prefork(args.workers, listening_socket(args.port), serve_connection, signal.SIGKILL,
            args.ready_file)


if __name__ == "__main__":
    main()
