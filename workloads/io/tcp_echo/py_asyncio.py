"""io/tcp_echo's py_asyncio server: one asyncio event loop, one asyncio.Protocol per connection.

    /usr/bin/python3 -s py_asyncio.py --port PORT      (corio-bench starts it; README.md)

Protocol and transports, not streams: an echo has nothing to await between reading and writing,
so data_received() writes the bytes straight back to the transport: one callback per read, no
task, no StreamReader buffer, no await of drain(). Streams (start_server with a coroutine per
connection) wrap the same transport in a StreamReader and a task woken per read: the same echo
written with streams (read, write, await drain) served 64,000 requests/s where this one served
90,000 (64 connections, 64 B, `corio-bench load tcp_echo`, two runs each, same machine). The
asyncio docs' low-level API is what an expert writes for this. Flow control as the Protocol API intends: when the transport's write
buffer is full (a client that stops reading), stop reading until it drains.

It listens on 127.0.0.1:PORT (backlog 4,096: 1,024 clients connect at once) and runs until
SIGTERM, then closes the listener and exits 0. py_uvloop.py runs this code on uvloop's loop.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import signal
import socket
from typing import Callable, Optional


class EchoProtocol(asyncio.Protocol):
    """Writes back exactly the bytes it receives, as they arrive."""

    def connection_made(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        # asyncio sets TCP_NODELAY on TCP transports already; said here because the echo's
        # latency depends on it (and uvloop's loop does the same).
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        self.transport.write(data)

    def pause_writing(self) -> None:
        self.transport.pause_reading()

    def resume_writing(self) -> None:
        self.transport.resume_reading()


async def serve(port: int) -> None:
    loop = asyncio.get_running_loop()
    stopped = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stopped.set_result, None)
    server = await loop.create_server(EchoProtocol, "127.0.0.1", port, backlog=4096)
    async with server:
        await stopped


def raise_descriptor_limit() -> None:
    """As the C++ servers do (harness::raise_descriptor_limit): the soft limit up to the hard."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def main(loop_factory: Optional[Callable[[], asyncio.AbstractEventLoop]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    raise_descriptor_limit()
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        runner.run(serve(args.port))


if __name__ == "__main__":
    main()
