"""io/pipeline in asyncio: the asyncio docs' Queue example, as corio.cpp is.

An asyncio.Queue(maxsize=Q) between main, which produces, and K consumer tasks created
first. A consumer loops get -> work -> task_done; main puts N records, awaits queue.join()
(every record marked done), then cancels the consumers, parked in get(), and gathers them.
work:io waits with asyncio.sleep(1 ms) before hashing, so K consumers overlap K waits.

A put that finds the queue full suspends the producer until a get frees a slot: that is a
stall, counted by checking queue.full() before the put, as corio.cpp does. A get that finds
records takes one without suspending, so on one thread a consumer drains the queue before the
producer runs again. The records and the hash are records.py's (the C++ bytes and FNV-1a).
One thread: each consumer's Tally is a plain object.
"""

from __future__ import annotations

import asyncio

from model_protocol import serve_asyncio
from records import Tally, make_record, result_of

IO_WAIT_SECONDS = 0.001  # params.hpp's kIoWait


async def consume(queue: asyncio.Queue, io: bool, tally: Tally) -> None:
    while True:
        record = await queue.get()
        if io:
            await asyncio.sleep(IO_WAIT_SECONDS)
        tally.consume(record)
        queue.task_done()


async def main(params: dict) -> dict:
    queue: asyncio.Queue = asyncio.Queue(maxsize=params["capacity"])
    io = params["work"] == "io"
    tallies = [Tally() for _ in range(params["consumers"])]
    consumers = [asyncio.create_task(consume(queue, io, tally)) for tally in tallies]

    stalls = 0
    for record_id in range(params["items"]):
        if queue.full():
            stalls += 1
        await queue.put(make_record(record_id))
    await queue.join()

    for consumer in consumers:
        consumer.cancel()
    await asyncio.gather(*consumers, return_exceptions=True)
    return result_of(tallies, stalls, workers=1)


if __name__ == "__main__":
    serve_asyncio(main)
