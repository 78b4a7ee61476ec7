"""mixed/blocking_in_loop's py_asyncio server: asyncio streams, a coroutine per connection.

    /usr/bin/python3 -s workloads/common/python/run_model.py \
        workloads/mixed/blocking_in_loop/py_asyncio.py --port PORT --variant inline|offload
        --work cpu|blocking --work-ms N    (corio-bench starts it; README.md)

GET /cheap is answered at once; GET /expensive after work_ms of work (py_work.py), done where
the variant says, as the C++ models do it:
  inline   called right in the connection's coroutine: the event loop runs nothing else
           meanwhile, so every cheap request queued behind it waits (the mistake the workload
           shows);
  offload  `await asyncio.to_thread(...)`: the work runs in the loop's default executor (a
           ThreadPoolExecutor) and the coroutine resumes on the loop with its result, the
           asyncio docs' answer to blocking calls. For blocking work the loop is free
           meanwhile; for CPU work in CPython the worker thread holds the GIL, which the loop's
           thread gets back only every sys.getswitchinterval() (5 ms), so offloading CPU work
           to a thread frees the loop far less than it does in C++.
Streams (asyncio.start_server) rather than a Protocol here: the handler awaits the offloaded
work between reading a request and writing its answer, which is what a coroutine per
connection expresses (asio's model in C++ is the same shape); a Protocol would need a task per
expensive request and its own ordering of pipelined answers. The answers already buffered go
out before the work starts; pipelined requests are answered in order.

It listens on 127.0.0.1:PORT and runs until SIGTERM, then exits 0
(server_model.run_asyncio_server). py_uvloop.py runs this code on uvloop's loop.
"""

from __future__ import annotations

import asyncio
import functools
import socket
from typing import Optional

from py_requests import EXPENSIVE, RequestStream, answer
from py_work import expensive_work
from server_model import BACKLOG, HOST, LoopFactory, port_parser, run_asyncio_server


async def run_work(variant: str, work: str, seconds: float) -> int:
    if variant == "inline":
        return expensive_work(work, seconds)
    return await asyncio.to_thread(expensive_work, work, seconds)


async def session(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, variant: str,
                  work: str, seconds: float) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:  # asyncio and uvloop set it already; the latency depends on it
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    stream = RequestStream()
    out: list[bytes] = []
    try:
        while data := await reader.read(16 * 1024):
            close = False
            for request in stream.next_requests(data):
                result = 0
                if request.route == EXPENSIVE and not request.error_status:
                    if out:
                        writer.write(b"".join(out))
                        out.clear()
                    result = await run_work(variant, work, seconds)
                    # The client may have gone during the work (the generator resets its
                    # connections at the end): uvloop's transport refuses a write then.
                    if writer.is_closing():
                        return
                out.append(answer(request, result))
                if not request.keep_alive:
                    close = True
                    break
            if out:
                writer.write(b"".join(out))
                out.clear()
                await writer.drain()
            if close:
                break
    except ConnectionError:
        pass  # a reset client: its connection ends, the server goes on
    finally:
        writer.close()


def main(loop_factory: Optional[LoopFactory] = None) -> None:
    parser = port_parser(__doc__)
    parser.add_argument("--variant", choices=("inline", "offload"), default="inline")
    parser.add_argument("--work", choices=("cpu", "blocking"), default="cpu")
    parser.add_argument("--work-ms", type=int, default=5)
    args = parser.parse_args()
    if not 1 <= args.work_ms <= 10_000:  # work.cpp's bounds: longer outlives the client's timeout
        parser.error("--work-ms must be 1 to 10000")
    handler = functools.partial(session, variant=args.variant, work=args.work,
                                seconds=args.work_ms / 1000)
    run_asyncio_server(lambda: asyncio.start_server(handler, HOST, args.port, backlog=BACKLOG),
                       loop_factory)


if __name__ == "__main__":
    main()
