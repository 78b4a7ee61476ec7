"""io/http_fanout with Python threads: concurrent.futures.ThreadPoolExecutor(max_workers=L),
each worker thread with its own kept-alive http.client.HTTPConnection (threading.local), as
thread_pool's C++ client gives each of its L workers a blocking connection.

The R requests are submitted at once and the pool runs at most L at a time, each blocking its
worker in the socket calls (which release the GIL), so at most L requests are in flight over
at most L connections. A worker connects on its first request (HTTPConnection.connect, outside
the latency) and keeps the connection for the next; a failed request closes it and the
worker's next request reconnects. Latency runs from just before request() writes the request
to the end of response.read(); a lock guards the shared Tally
(workloads/common/python/fanout_tally.py).

ThreadPoolExecutor starts a new worker only when no worker is idle, so at large L the pool
may not reach L threads: workers that finished a request take queued ones while the pool is
still growing. That is the executor's behaviour, kept as it is (the README has the figures).
"""

from __future__ import annotations

import http.client
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from fanout_tally import Tally, describe
from model_protocol import serve


class Client:
    """One worker's connection, and the shared tally."""

    def __init__(self, params: dict) -> None:
        self.port = params["port"]
        self.target = params["target"]
        self.tally = Tally(params["expected_body"])
        self.lock = threading.Lock()
        self.local = threading.local()

    def fetch(self) -> None:
        connection = getattr(self.local, "connection", None)
        try:
            if connection is None or connection.sock is None:
                connection = http.client.HTTPConnection("127.0.0.1", self.port)
                connection.connect()
                self.local.connection = connection
                with self.lock:
                    self.tally.connected()
            sent_ns = time.monotonic_ns()
            connection.request("GET", self.target)
            response = connection.getresponse()
            body = response.read()
            arrived_ns = time.monotonic_ns()
        except (OSError, http.client.HTTPException) as error:
            if connection is not None:
                connection.close()
            with self.lock:
                self.tally.fail(f"GET: {describe(error)}")
            return
        with self.lock:
            self.tally.answered(response.status, body, sent_ns, arrived_ns)


def work(params: dict) -> dict:
    client = Client(params)
    with ThreadPoolExecutor(max_workers=params["limit"]) as pool:
        requests = [pool.submit(client.fetch) for _ in range(params["requests"])]
    for request in requests:
        request.result()  # an unexpected exception in a worker fails the run with its text
    # Each worker's connection lives in its threading.local, freed (and its socket closed) as
    # the pool's threads exit at the end of the with block.
    return client.tally.result()


if __name__ == "__main__":
    serve(work)
