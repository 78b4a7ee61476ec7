"""What io/http_fanout's Python clients share: the tally of answers, by the rules of
workloads/common/fanout_client.hpp, and the Result json.hpp reads.

  - a 200 answer with params["expected_body"] is ok; anything else (another status, another
    body, a refused or reset connection) failed, its first text kept;
  - latency runs from the request's write on an open connection to its whole body read, in
    time.monotonic_ns() (CLOCK_MONOTONIC, the C++ steady_clock's clock); connecting and the
    wait for the client's own limit are not in it;
  - first_request_ns / last_response_ns: when the first answered request was written and when
    the last answer arrived; the workload's requests_per_second divides by the span between.
"""

from __future__ import annotations


class Tally:
    """Counts outcomes (fanout::Tally). Not thread-safe: the threaded model holds a lock."""

    def __init__(self, expected_body: str) -> None:
        self.expected_body = expected_body.encode()
        self.ok = self.failed = self.connections = 0
        self.first_error = ""
        self.latencies_ns: list[int] = []
        self.first_request_ns: int | None = None
        self.last_response_ns: int | None = None

    def answered(self, status: int, body: bytes, sent_ns: int, arrived_ns: int) -> None:
        if status != 200 or body != self.expected_body:
            self.fail(f"status {status} with body '{body[:40].decode('latin-1')}', expected "
                      f"200 '{self.expected_body.decode()}'")
            return
        self.ok += 1
        self.latencies_ns.append(arrived_ns - sent_ns)
        if self.first_request_ns is None or sent_ns < self.first_request_ns:
            self.first_request_ns = sent_ns
        if self.last_response_ns is None or arrived_ns > self.last_response_ns:
            self.last_response_ns = arrived_ns

    def fail(self, why: str) -> None:
        self.failed += 1
        if not self.first_error:
            self.first_error = why

    def connected(self) -> None:
        self.connections += 1

    def result(self) -> dict:
        return {"ok": self.ok, "rejected": 0, "failed": self.failed,
                "first_error": self.first_error, "connections": self.connections,
                "latencies_ns": self.latencies_ns,
                "first_request_ns": self.first_request_ns or 0,
                "last_response_ns": self.last_response_ns or 0}


def describe(error: BaseException) -> str:
    """An exception as one short line: 'ConnectionResetError: [Errno 104] ...'."""
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
