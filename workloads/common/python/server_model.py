"""What every Python server model does around its connections, as rust/server.rs and go/server
do for the tokio and Go servers. Used by the py_asyncio, py_uvloop and py_threads servers of
io/tcp_echo, io/http_plaintext and mixed/blocking_in_loop, and by prefork.py (py_processes).

  A script's whole server, from its command line to its exit 0 on SIGTERM:
    run_thread_server(doc, serve_connection)       py_threads: a thread per connection
    run_protocol_server(doc, protocol_factory, loop_factory)
                                                   py_asyncio, py_uvloop: an asyncio.Protocol
                                                   per connection
    run_asyncio_server(start_server, loop_factory) any asyncio server (streams too), once the
                                                   script has read its own flags
    uvloop_loop_factory()                          uvloop.new_event_loop for py_uvloop, or one
                                                   line naming python3-uvloop and exit status 2
  Their parts:
    port_parser(doc) -> ArgumentParser             --port; `doc`'s first line describes it
    raise_descriptor_limit()                       the soft RLIMIT_NOFILE up to the hard one
    listening_socket(port) -> socket               127.0.0.1:port, backlog 4,096, blocking
    accept(listener) -> (socket, address)          accept(), waiting out EMFILE with a back-off
    serve_and_close(conn, serve_connection)        a connection served, then closed

What a model does with a connection stays in its own file: the blocking servers'
serve_connection(conn) (it reads and answers until the client is done; the caller closes the
socket and takes a reset as the connection's end), the asyncio servers' Protocol or stream
handler, and any flag of its own. corio-bench runs the scripts through run_model.py, which puts
this folder on the path (workloads/common/python_server.hpp).
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import resource
import signal
import socket
import sys
import threading
import time
from typing import Awaitable, Callable, Optional

HOST = "127.0.0.1"
BACKLOG = 4096  # 1,024 clients connect at once

ServeConnection = Callable[[socket.socket], None]
LoopFactory = Callable[[], asyncio.AbstractEventLoop]


def port_parser(doc: str) -> argparse.ArgumentParser:
    """The script's command line: --port, described by the first line of its docstring."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    return parser


def raise_descriptor_limit() -> None:
    """As the C++ servers do (harness::raise_descriptor_limit): the soft limit up to the hard."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def listening_socket(port: int) -> socket.socket:
    """A TCP socket listening on 127.0.0.1:port (backlog 4,096), blocking."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, port))
    listener.listen(BACKLOG)
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


def serve_and_close(conn: socket.socket, serve_connection: ServeConnection) -> None:
    """serve_connection(conn), then closes conn; a reset client (ConnectionError) ends only its
    own connection, and the server goes on."""
    with conn:
        try:
            serve_connection(conn)
        except ConnectionError:
            pass


def run_thread_server(doc: str, serve_connection: ServeConnection) -> None:
    """A py_threads server: its command line (--port), the descriptor limit, then the main
    thread blocks in accept() and starts a daemon threading.Thread per connection running
    serve_and_close(conn, serve_connection). SIGTERM ends the process with status 0."""
    port = port_parser(doc).parse_args().port
    raise_descriptor_limit()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    listener = listening_socket(port)
    while True:
        conn, _ = accept(listener)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            threading.Thread(target=serve_and_close, args=(conn, serve_connection),
                             daemon=True).start()
        except RuntimeError:  # "can't start new thread": the client sees its connection end
            conn.close()


def run_asyncio_server(start_server: Callable[[], Awaitable[asyncio.AbstractServer]],
                       loop_factory: Optional[LoopFactory] = None) -> None:
    """An asyncio server: raises the descriptor limit, then on a new event loop (asyncio's, or
    the one `loop_factory` makes) awaits start_server() (the model's create_server or
    start_server call on HOST and BACKLOG) and serves until SIGTERM; then it closes the
    listener and returns, and the script exits 0. The SIGTERM handler is in place before the
    socket listens."""
    raise_descriptor_limit()
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        runner.run(_serve_until_sigterm(start_server))


async def _serve_until_sigterm(
        start_server: Callable[[], Awaitable[asyncio.AbstractServer]]) -> None:
    loop = asyncio.get_running_loop()
    stopped = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stopped.set_result, None)
    server = await start_server()
    async with server:
        await stopped


def run_protocol_server(doc: str, protocol_factory: Callable[[], asyncio.Protocol],
                        loop_factory: Optional[LoopFactory] = None) -> None:
    """A server of one `protocol_factory()` per connection: its command line (--port), then
    run_asyncio_server with the loop's create_server on HOST:port and BACKLOG."""
    port = port_parser(doc).parse_args().port
    run_asyncio_server(lambda: asyncio.get_running_loop().create_server(
        protocol_factory, HOST, port, backlog=BACKLOG), loop_factory)


def uvloop_loop_factory() -> LoopFactory:
    """uvloop.new_event_loop, for the py_uvloop servers. Without Debian's python3-uvloop, one
    line naming it on stderr and exit status 2, so the row fails saying what to install."""
    try:
        import uvloop
    except ImportError:
        sys.stderr.write("py_uvloop: the Python module 'uvloop' is missing: install Debian's "
                         "python3-uvloop (apt-get install python3-uvloop, or "
                         "scripts/install_deps.sh)\n")
        sys.exit(2)
    return uvloop.new_event_loop
