"""io/tcp_echo's py_threads server: a thread per connection on blocking sockets.

    /usr/bin/python3 -s py_threads.py --port PORT

The C++ threads model in Python: the main thread blocks in accept() and starts a
threading.Thread per connection, which blocks in recv(), sendall()s back what it read and ends
when the client closes. socket.recv and sendall release the GIL while they wait, so a thousand
waiting connections are a thousand sleeping OS threads; only the Python between two system
calls runs one thread at a time. (socketserver.ThreadingTCPServer is this same loop with a
class around it.) SIGTERM ends the process with status 0; the connection threads are daemons.
"""

from __future__ import annotations

import argparse
import errno
import signal
import socket
import sys
import threading
import time

from py_asyncio import raise_descriptor_limit

BUFFER_BYTES = 16 * 1024  # kEchoBufferBytes of params.hpp: the C++ models' receive buffer


def echo_until_closed(conn: socket.socket) -> None:
    with conn:
        try:
            while data := conn.recv(BUFFER_BYTES):
                conn.sendall(data)
        except ConnectionError:
            pass  # a reset client: its connection ends, the server goes on


def listen(port: int) -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(4096)
    return listener


def accept(listener: socket.socket) -> tuple[socket.socket, object]:
    """listener.accept(), waiting out a lack of descriptors (EMFILE, ENFILE) or memory with a
    back-off of 5 ms doubling to 1 s, as Go's net/http does: the open connections are served
    meanwhile, and new ones are taken once descriptors are free again."""
    delay = 0.005
    while True:
        try:
            return listener.accept()
        except OSError as error:
            if error.errno not in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                raise
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    raise_descriptor_limit()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    listener = listen(args.port)
    while True:
        conn, _ = accept(listener)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            threading.Thread(target=echo_until_closed, args=(conn,), daemon=True).start()
        except RuntimeError:  # "can't start new thread": the client sees its connection end
            conn.close()


if __name__ == "__main__":
    main()
