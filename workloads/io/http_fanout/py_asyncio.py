"""io/http_fanout in asyncio with aiohttp: the fan-out a Python programmer writes.

One aiohttp.ClientSession whose TCPConnector(limit=L) holds at most L connections, each kept
alive and carrying one request at a time (aiohttp never pipelines): the library's own way to
limit a fan-out, and the same connection use as the C++ clients. The R requests are
``asyncio.gather``ed at once; a request that finds all L connections busy waits in the
connector's queue for one to be released, where corio's client waits on its Semaphore.

aiohttp rather than asyncio streams: this workload asks what the fan-out a Python program
really makes costs, and a real program uses an HTTP client library (its request building,
response parsing and connection pool are part of that cost). limit/concurrency_limit's Python
clients use streams and the C++ clients' exact bytes instead. aiohttp sends a few more request
headers (Accept, Accept-Encoding, User-Agent); the server ignores them.

Measured as the C++ clients do (workloads/common/python/fanout_tally.py), through aiohttp's
request tracing: a connection counts when on_connection_create_end fires, and a request's
latency starts when on_request_headers_sent fires (right after its one write on an open
connection: a GET has no body), so neither connecting nor the wait in the connector's queue
is in it; it ends when the whole body has been read.
"""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

from fanout_tally import Tally, describe
from model_protocol import import_or_explain, serve_asyncio

aiohttp = import_or_explain("aiohttp")


def tracing(tally: Tally) -> "aiohttp.TraceConfig":
    trace = aiohttp.TraceConfig()

    async def connected(session, context, params) -> None:
        tally.connected()

    async def headers_sent(session, context, params) -> None:
        context.trace_request_ctx.sent_ns = time.monotonic_ns()

    trace.on_connection_create_end.append(connected)
    trace.on_request_headers_sent.append(headers_sent)
    return trace


async def fetch(session: "aiohttp.ClientSession", url: str, tally: Tally) -> None:
    timing = SimpleNamespace(sent_ns=0)
    try:
        async with session.get(url, trace_request_ctx=timing) as response:
            body = await response.read()
            arrived_ns = time.monotonic_ns()
    except (aiohttp.ClientError, OSError) as error:
        tally.fail(f"GET: {describe(error)}")
        return
    tally.answered(response.status, body, timing.sent_ns, arrived_ns)


async def main(params: dict) -> dict:
    tally = Tally(params["expected_body"])
    url = f"http://127.0.0.1:{params['port']}{params['target']}"
    connector = aiohttp.TCPConnector(limit=params["limit"])
    async with aiohttp.ClientSession(connector=connector, trace_configs=[tracing(tally)]) as session:
        await asyncio.gather(*(fetch(session, url, tally) for _ in range(params["requests"])))
    return tally.result()


if __name__ == "__main__":
    serve_asyncio(main)
