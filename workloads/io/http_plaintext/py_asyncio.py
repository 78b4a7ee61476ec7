"""io/http_plaintext's py_asyncio server: one asyncio event loop, one asyncio.Protocol per
connection, answering GET /plaintext (py_http.py) with keep-alive and pipelining.

    /usr/bin/python3 -s workloads/common/python/run_model.py \
        workloads/io/http_plaintext/py_asyncio.py --port PORT    (corio-bench starts it; README.md)

Protocol and transports, not streams: answering needs nothing to await, so data_received()
appends the bytes to the connection's buffer, answers every complete request in it and writes
the replies with one transport.write(): one callback per read, no task per connection, no
StreamReader, no drain(). This is the shape of the fast asyncio HTTP servers (uvicorn's and
aiohttp's protocol classes); streams (start_server with a coroutine per connection) add a task
wake-up and a StreamReader buffer per read: the same server written with streams (read,
answer, write, await drain) served 55,000 requests/s where this one served 70,000 (64
connections, `corio-bench load http_plaintext`, two runs each, same machine). When the write buffer fills (a client that pipelines and stops
reading), the protocol stops reading until it drains.

It listens on 127.0.0.1:PORT (backlog 4,096) and runs until SIGTERM, then closes the listener
and exits 0 (server_model.run_protocol_server). py_uvloop.py runs this code on uvloop's loop.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Optional

from py_http import Answerer
from server_model import LoopFactory, run_protocol_server


class HttpProtocol(asyncio.Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        self.buffer = bytearray()
        self.answerer = Answerer()
        sock = transport.get_extra_info("socket")
        if sock is not None:  # asyncio and uvloop set it already; the latency depends on it
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        replies, close = self.answerer.answer(self.buffer)
        if replies:
            self.transport.write(replies)
        if close:
            self.transport.close()  # after the replies are sent

    def pause_writing(self) -> None:
        self.transport.pause_reading()

    def resume_writing(self) -> None:
        self.transport.resume_reading()


def main(loop_factory: Optional[LoopFactory] = None) -> None:
    run_protocol_server(__doc__, HttpProtocol, loop_factory)


if __name__ == "__main__":
    main()
