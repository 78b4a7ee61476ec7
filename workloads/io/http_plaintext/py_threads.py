"""io/http_plaintext's py_threads server: a thread per connection on blocking sockets.

    /usr/bin/python3 -s workloads/common/python/run_model.py \
        workloads/io/http_plaintext/py_threads.py --port PORT

The C++ threads model in Python: the main thread blocks in accept() and starts a
threading.Thread per connection, which blocks in recv(), answers every complete request read
so far (py_http.py: keep-alive, pipelining) with one sendall(), and ends when the client
closes or a request asks to. recv and sendall release the GIL while they wait; the parsing
between them runs one thread at a time. SIGTERM ends the process with status 0; the
connection threads are daemons. The accept loop (with its back-off when out of descriptors) is
server_model.run_thread_server.
"""

from __future__ import annotations

import socket

from py_http import Answerer
from server_model import run_thread_server

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


if __name__ == "__main__":
    run_thread_server(__doc__, serve_connection)
