"""io/tcp_echo's py_processes server: prefork workers with blocking sockets (py_prefork.py).

    /usr/bin/python3 -s py_processes.py --port PORT --workers N [--ready-file PATH]

The C++ processes model in Python: N forked worker processes block in accept() on the shared
listening socket (no SO_REUSEPORT, as in the C++ model), each serving one connection at a time
with py_threads.py's blocking echo loop; one connection per worker, so the benchmark passes
N = its connection count. Each worker is its own interpreter with its own GIL. On SIGTERM the
parent stops the workers with SIGTERM (as the C++ model does), reaps them and exits 0.
"""

import argparse
import signal

from py_asyncio import raise_descriptor_limit
from py_prefork import listening_socket, prefork
from py_threads import echo_until_closed


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
    prefork(args.workers, listening_socket(args.port), echo_until_closed, signal.SIGTERM,
            args.ready_file)


if __name__ == "__main__":
    main()
