"""limit/concurrency_limit on threads: a ThreadPoolExecutor of L workers, blocking sockets.

``ThreadPoolExecutor(max_workers=L).map(fetch, range(R))`` with a kept-alive connection per
worker thread (threading.local): Python's classic limited fan-out, the shape of the C++
thread_pool client (fanout_thread_pool.cpp). The pool's size is the limit: at most L threads,
so at most L connections and L requests in flight. The threads block in recv() with the GIL
released, so waiting overlaps as it does in C++; what the GIL serialises is the little Python
each request runs (framing, counting), and the pool's start of up to L threads (each an OS
thread with its own stack) is inside the call, as it is for the C++ thread models.

Same bytes, framing and figures as the asyncio models (py_fanout.py, fanout_tally.py); the
tally is guarded by a lock. client_rss_bytes is py_fanout.RssGrowth around the fan-out: it
includes the threads' touched stacks.
"""

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from fanout_tally import FAILED, Tally, describe
from model_protocol import serve
from py_fanout import BadResponse, RssGrowth, parse_head


class Connection:
    """One kept-alive blocking connection and its buffered reader."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = self.sock.makefile("rb")

    def exchange(self, request: bytes) -> tuple[int, bytes, bool]:
        """Writes one request and reads its response: (status, body, keep-alive)."""
        self.sock.sendall(request)
        head = b""
        while not head.endswith(b"\r\n\r\n"):
            line = self.reader.readline(2048)
            if not line:
                raise BadResponse("the server closed the connection mid-response")
            head += line
        status, length, keep_alive = parse_head(head)
        body = self.reader.read(length)
        if len(body) != length:
            raise BadResponse(f"the body ended after {len(body)} of {length} bytes")
        return status, body, keep_alive

    def close(self) -> None:
        self.reader.close()
        self.sock.close()


class FanOut:
    def __init__(self, params: dict) -> None:
        self.params = params
        self.request = params["request"].encode("latin-1")
        self.lock = threading.Lock()  # guards tally and opened
        self.tally = Tally(params["expected_body"], params["rejections_expected"])
        self.opened: list[Connection] = []
        self.local = threading.local()  # .connection: this worker's, or None

    def fetch(self, _: int) -> None:
        connection = getattr(self.local, "connection", None)
        if connection is None:
            try:
                connection = Connection(self.params["port"])
            except OSError as error:
                with self.lock:
                    self.tally.fail(f"connect: {describe(error)}")
                return
            with self.lock:
                self.tally.connected()
                self.opened.append(connection)
            self.local.connection = connection
        sent = time.monotonic_ns()
        try:
            status, body, keep_alive = connection.exchange(self.request)
        except (OSError, BadResponse) as error:
            self.local.connection = None
            with self.lock:
                self.tally.fail(f"GET: {describe(error)}")
            return
        arrived = time.monotonic_ns()
        with self.lock:
            outcome = self.tally.answered(status, body, sent, arrived)
        # A failed exchange leaves the connection out of step: the next request opens another.
        if outcome == FAILED or not keep_alive:
            self.local.connection = None


def work(params: dict) -> dict:
    fan_out = FanOut(params)
    with RssGrowth() as rss:
        with ThreadPoolExecutor(max_workers=params["limit"]) as pool:
            for _ in pool.map(fan_out.fetch, range(params["requests"])):
                pass
        for connection in fan_out.opened:
            connection.close()
    return fan_out.tally.result(client_rss_bytes=rss.bytes)


if __name__ == "__main__":
    serve(work)
