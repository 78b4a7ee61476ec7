"""limit/concurrency_limit in asyncio: R tasks, each inside ``async with asyncio.Semaphore(L)``.

The asyncio docs' way to limit concurrency, and corio's fan-out client line for line
(fanout_corio_fetch.cpp): a TaskGroup creates all R tasks at once; each takes a permit, then a
kept-alive connection (asyncio streams: a StreamReader/StreamWriter pair) from a list of idle
ones, or opens a new one when none is idle; writes the request, reads the response, puts the
connection back and gives the permit up. Holding a permit is the only way to hold a
connection, so at most L exist, and the R - L waiting tasks cost a coroutine each and nothing
else. asyncio's Semaphore wakes its waiters first come, first served, like corio's.

Streams rather than aiohttp: the comparison is about how the client waits, not about HTTP
libraries, so every model sends the same bytes and reads the same framing (py_fanout.py)
and is counted by the same tally (workloads/common/python/fanout_tally.py).
client_rss_bytes is py_fanout.RssGrowth around the fan-out (see there).
"""

import asyncio
import time

from fanout_tally import FAILED, Tally, describe
from model_protocol import serve_asyncio
from py_fanout import BadResponse, RssGrowth, parse_head


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                   request: bytes) -> tuple[int, bytes, bool]:
    """Writes one request and reads its response: (status, body, keep-alive)."""
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status, length, keep_alive = parse_head(head)
    body = await reader.readexactly(length)
    return status, body, keep_alive


async def fetch(params: dict, permits: asyncio.Semaphore, idle: list, tally: Tally) -> None:
    async with permits:
        if idle:
            reader, writer = idle.pop()
        else:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", params["port"])
            except OSError as error:
                tally.fail(f"connect: {describe(error)}")
                return
            tally.connected()
        sent = time.monotonic_ns()
        try:
            status, body, keep_alive = await exchange(reader, writer, params["request"])
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                BadResponse) as error:
            tally.fail(f"GET: {describe(error)}")
            writer.close()
            return
        outcome = tally.answered(status, body, sent, time.monotonic_ns())
        # A failed exchange leaves the connection out of step: it is dropped, not pooled.
        if outcome != FAILED and keep_alive:
            idle.append((reader, writer))
        else:
            writer.close()


async def main(params: dict) -> dict:
    params = dict(params, request=params["request"].encode("latin-1"))
    tally = Tally(params["expected_body"], params["rejections_expected"])
    with RssGrowth() as rss:
        permits = asyncio.Semaphore(params["limit"])
        idle: list = []
        async with asyncio.TaskGroup() as group:
            for _ in range(params["requests"]):
                group.create_task(fetch(params, permits, idle, tally))
        for _, writer in idle:
            writer.close()
        await asyncio.gather(*(writer.wait_closed() for _, writer in idle))
    return tally.result(client_rss_bytes=rss.bytes)


if __name__ == "__main__":
    serve_asyncio(main)
