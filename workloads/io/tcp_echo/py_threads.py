"""io/tcp_echo's py_threads server: a thread per connection on blocking sockets.

    /usr/bin/python3 -s workloads/common/python/run_model.py \
        workloads/io/tcp_echo/py_threads.py --port PORT

The C++ threads model in Python: the main thread blocks in accept() and starts a
threading.Thread per connection, which blocks in recv(), sendall()s back what it read and ends
when the client closes. socket.recv and sendall release the GIL while they wait, so a thousand
waiting connections are a thousand sleeping OS threads; only the Python between two system
calls runs one thread at a time. (socketserver.ThreadingTCPServer is this same loop with a
class around it.) SIGTERM ends the process with status 0; the connection threads are daemons.
The accept loop (with its back-off when out of descriptors) is server_model.run_thread_server.
"""

from __future__ import annotations

import socket

from server_model import run_thread_server

BUFFER_BYTES = 16 * 1024  # kEchoBufferBytes of params.hpp: the C++ models' receive buffer


def echo_until_closed(conn: socket.socket) -> None:
    """Sends back what it reads until the client closes (blocking; the caller closes conn)."""
    while data := conn.recv(BUFFER_BYTES):
        conn.sendall(data)


if __name__ == "__main__":
    run_thread_server(__doc__, echo_until_closed)
