"""Prefork for the py_processes servers of io/tcp_echo and io/http_plaintext (Apache's prefork
MPM, gunicorn's sync workers).

    run_prefork_server(doc, serve_connection, stop_signal)   a py_processes script's server
    prefork(workers, listener, serve_connection, stop_signal, ready_file)

run_prefork_server reads the command line corio-bench gives (--port PORT --workers N
[--ready-file PATH], workloads/common/python_server.hpp), raises the descriptor limit, listens
on 127.0.0.1:PORT (server_model.listening_socket) and runs prefork.

prefork forks `workers` processes that each block in accept() on the shared listening socket and
serve one connection at a time with server_model.serve_and_close(conn, serve_connection), start
to end; the kernel hands each new connection to one waiting worker. The parent only supervises,
as the C++ processes models' common::supervise_workers does: it waits for SIGTERM (the
harness's stop; or SIGINT) or SIGCHLD. On SIGTERM it sends `stop_signal` to every worker, reaps
them all (so that their CPU and context switches count in its own wait4 figures) and exits 0; a
worker that dies on its own is a crashed server: the parent kills the rest and exits 1 saying so.

The socket listens before the fork (the harness's start probe connects to it; a worker later
accepts that connection and sees it closed). Forking the interpreter is slow on a small VM
(5 to 30 ms a fork on the 2-core reference VM, depending on its load: 1,024 workers take
seconds, beyond the harness's 10 s start timeout), so the parent creates `ready_file` once
every worker is forked, and the benchmark waits for that file before it sends any load
(workloads/common/python_server.hpp). A SIGTERM that comes while forking stops the forking.
Workers die with the parent (PR_SET_PDEATHSIG), so no orphan outlives a killed benchmark.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import sys

from server_model import (ServeConnection, listening_socket, port_parser, raise_descriptor_limit,
                          serve_and_close)

PR_SET_PDEATHSIG = 1
SUPERVISED = {signal.SIGTERM, signal.SIGINT, signal.SIGCHLD}


def run_prefork_server(doc: str, serve_connection: ServeConnection, stop_signal: int) -> None:
    """A py_processes server, from its command line (`doc`'s first line describes it) to exit."""
    parser = port_parser(doc)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--ready-file", default="",
                        help="created once every worker is forked (the benchmark waits for it)")
    args = parser.parse_args()
    if not 1 <= args.workers <= 4096:
        parser.error("--workers must be 1 to 4096")
    raise_descriptor_limit()
    prefork(args.workers, listening_socket(args.port), serve_connection, stop_signal,
            args.ready_file)


def die_with_parent(parent: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0 or os.getppid() != parent:
        os._exit(3)  # cannot be tied to the parent, or it is already gone


def run_worker(parent: int, listener: socket.socket, serve_connection: ServeConnection) -> None:
    die_with_parent(parent)
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
        signal.signal(number, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SUPERVISED)
    while True:
        conn, _ = listener.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        serve_and_close(conn, serve_connection)  # then the next connection, after a reset too


def stop_all(pids: list[int], number: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, number)
        except ProcessLookupError:
            pass
    for pid in pids:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def prefork(workers: int, listener: socket.socket, serve_connection: ServeConnection,
            stop_signal: int, ready_file: str) -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, SUPERVISED)
    parent = os.getpid()
    pids: list[int] = []
    for _ in range(workers):
        if signal.sigpending() & {signal.SIGTERM, signal.SIGINT}:
            break  # stopped while forking (a slow start on a busy machine): stop at once
        pid = os.fork()
        if pid == 0:
            try:
                run_worker(parent, listener, serve_connection)
            finally:
                os._exit(3)  # accept failed for good: the parent sees a dead worker
        pids.append(pid)
    listener.close()  # the workers hold it
    if ready_file:
        with open(ready_file, "x"):
            pass
    while True:
        number = signal.sigwait(SUPERVISED)
        if number != signal.SIGCHLD:
            stop_all(pids, stop_signal)
            sys.exit(0)
        dead, status = os.waitpid(-1, os.WNOHANG)
        if dead != 0:
            pids.remove(dead)
            stop_all(pids, signal.SIGKILL)
            sys.exit(f"py_processes: worker {dead} died on its own (wait status {status})")
