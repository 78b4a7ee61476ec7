"""io/http_plaintext's py_threads server: a thread per connection on blocking sockets.

    /usr/bin/python3 -s py_threads.py --port PORT

The C++ threads model in Python: the main thread blocks in accept() and starts a
threading.Thread per connection, which blocks in recv(), answers every complete request read
so far (py_http.py: keep-alive, pipelining) with one sendall(), and ends when the client
closes or a request asks to. recv and sendall release the GIL while they wait; the parsing
between them runs one thread at a time. SIGTERM ends the process with status 0; the
connection threads are daemons.
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
from py_http import Answerer

RECEIVE_BYTES = 16 * 1024  # HttpSession's initial receive buffer (http_session.cpp)


def serve_connection(conn: socket.socket) -> None:
    """Answers one connection's requests until it ends (blocking; the caller closes it)."""
    answerer = Answerer()
    buffer = bytearray()
    while data := conn.recv(RECEIVE_BYTES):
        buffer += data
        replies, close = answerer.answer(buffer)
        if replies:
            conn.sendall(replies)
        if close:
            return


def serve_and_close(conn: socket.socket) -> None:
    with conn:
        try:
            serve_connection(conn)
        except ConnectionError:
            pass  # a reset client: its connection ends, the server goes on


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
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(4096)
    while True:
        conn, _ = accept(listener)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            threading.Thread(target=serve_and_close, args=(conn,), daemon=True).start()
        except RuntimeError:  # "can't start new thread": the client sees its connection end
            conn.close()


if __name__ == "__main__":
    main()
