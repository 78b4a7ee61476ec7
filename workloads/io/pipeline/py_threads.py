"""io/pipeline with Python threads: a queue.Queue(maxsize=Q) between the calling thread, which
produces, and K consumer threads, as threads.cpp's bounded buffer (queue.Queue is that: one
lock, not_full and not_empty conditions).

A consumer loops get -> work until it gets the None that ends it; the producer puts N
records, then one None per consumer, and joins them (threads.cpp closes its ring instead).
work:io waits with time.sleep(1 ms), a blocking call that releases the GIL, so K threads
overlap K waits; the hashing is pure Python and holds the GIL, so consumers never hash in
parallel. A stall is a put that found the queue full: put_nowait raised queue.Full and the
producer then waited in put(). Each consumer keeps its own Tally.
"""

from __future__ import annotations

import queue
import threading
import time

from model_protocol import serve
from records import Tally, make_record, result_of

IO_WAIT_SECONDS = 0.001  # params.hpp's kIoWait


def consume(records: queue.Queue, io: bool, tally: Tally) -> None:
    while (record := records.get()) is not None:
        if io:
            time.sleep(IO_WAIT_SECONDS)
        tally.consume(record)


def work(params: dict) -> dict:
    records: queue.Queue = queue.Queue(maxsize=params["capacity"])
    io = params["work"] == "io"
    tallies = [Tally() for _ in range(params["consumers"])]
    consumers = [threading.Thread(target=consume, args=(records, io, tally)) for tally in tallies]
    for consumer in consumers:
        consumer.start()

    stalls = 0
    for record_id in range(params["items"]):
        record = make_record(record_id)
        try:
            records.put_nowait(record)
        except queue.Full:
            stalls += 1
            records.put(record)
    for _ in consumers:
        records.put(None)
    for consumer in consumers:
        consumer.join()
    return result_of(tallies, stalls, workers=len(consumers))


if __name__ == "__main__":
    serve(work)
