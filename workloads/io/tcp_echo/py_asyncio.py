"""io/tcp_echo's py_asyncio server: one asyncio event loop, one asyncio.Protocol per connection.

    /usr/bin/python3 -s workloads/common/python/run_model.py \
        workloads/io/tcp_echo/py_asyncio.py --port PORT    (corio-bench starts it; README.md)

Protocol and transports, not streams: an echo has nothing to await between reading and writing,
so data_received() writes the bytes straight back to the transport: one callback per read, no
task, no StreamReader buffer, no await of drain(). Streams (start_server with a coroutine per
connection) wrap the same transport in a StreamReader and a task woken per read: the same echo
written with streams (read, write, await drain) served 64,000 requests/s where this one served
90,000 (64 connections, 64 B, `corio-bench load tcp_echo`, two runs each, same machine). The
asyncio docs' low-level API is what an expert writes for this. Flow control as the Protocol API intends: when the transport's write
buffer is full (a client that stops reading), stop reading until it drains.

It listens on 127.0.0.1:PORT (backlog 4,096: 1,024 clients connect at once) and runs until
SIGTERM, then closes the listener and exits 0 (server_model.run_protocol_server). py_uvloop.py
runs this code on uvloop's loop.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Optional

from server_model import LoopFactory, run_protocol_server


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


def main(loop_factory: Optional[LoopFactory] = None) -> None:
    run_protocol_server(__doc__, EchoProtocol, loop_factory)


if __name__ == "__main__":
    main()
