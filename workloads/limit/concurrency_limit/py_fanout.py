"""What the Python fan-out clients of limit/concurrency_limit share: the HTTP/1.1 framing, the
tally of answers, the memory figure and the Result they return.

This is workloads/common/fanout_client.hpp's contract in Python, so that the Python models
differ from each other (and from the C++ clients) only in how they wait:
  - every request is the same bytes, params["request"] (the C++ clients' request head, made by
    corio's write_request_head and passed in by json.hpp), on a kept-alive connection that
    carries one request at a time; at most L = params["limit"] connections are opened;
  - a response is a status line, headers and a Content-Length body (the server's only
    framing); a 200 with params["expected_body"] is ok, a 503 is rejected when
    params["rejections_expected"], anything else failed (its connection dropped);
  - latency runs from just before the request is written to its whole response read,
    time.monotonic_ns() (CLOCK_MONOTONIC, the C++ steady_clock's clock); connecting is not
    included, nor the wait for the client's own limit;
  - first_request_ns / last_response_ns: when the first answered request was written and the
    last answer arrived; the workload's requests_per_second divides by the span between them.
"""

from __future__ import annotations

import gc

OK, REJECTED, FAILED = "ok", "rejected", "failed"


class BadResponse(Exception):
    """A response this client cannot read: its connection is out of step and is dropped."""


def parse_head(head: bytes) -> tuple[int, int, bool]:
    """(status, Content-Length, keep-alive) of a response head ending in CRLF CRLF."""
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise BadResponse(f"malformed status line {lines[0][:60]!r}")
    status = int(parts[1])
    length = None
    keep_alive = parts[0] == "HTTP/1.1"
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(":")
        name = name.strip().lower()
        value = value.strip()
        if name == "content-length":
            if not value.isdigit():
                raise BadResponse(f"malformed Content-Length {value!r}")
            length = int(value)
        elif name == "connection":
            keep_alive = value.lower() == "keep-alive"
    if length is None:
        raise BadResponse(f"status {status} without a Content-Length")
    return status, length, keep_alive


class Tally:
    """Counts outcomes (fanout::Tally). Not thread-safe: a threaded model holds a lock."""

    def __init__(self, params: dict) -> None:
        self.expected_body = params["expected_body"].encode()
        self.rejections_expected = params["rejections_expected"]
        self.ok = self.rejected = self.failed = self.connections = 0
        self.first_error = ""
        self.latencies_ns: list[int] = []
        self.first_request_ns: int | None = None
        self.last_response_ns: int | None = None

    def classify(self, status: int, body: bytes) -> tuple[str, str]:
        """(outcome, why): fanout::classify."""
        if status == 200 and body == self.expected_body:
            return OK, ""
        if status == 503 and self.rejections_expected:
            return REJECTED, ""
        shown = body[:40].decode("latin-1")
        if status == 200:
            expected = self.expected_body.decode()
            return FAILED, f"status 200 with body '{shown}', expected '{expected}'"
        return FAILED, f"status {status} ({shown})"

    def answered(self, outcome: str, sent_ns: int, arrived_ns: int, why: str = "") -> None:
        if outcome == FAILED:
            self.fail(why)
            return
        if outcome == OK:
            self.ok += 1
            self.latencies_ns.append(arrived_ns - sent_ns)
        else:
            self.rejected += 1
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

    def result(self, client_rss_bytes: int) -> dict:
        """The workload's Result as json.hpp reads it."""
        return {"ok": self.ok, "rejected": self.rejected, "failed": self.failed,
                "first_error": self.first_error, "connections": self.connections,
                "latencies_ns": self.latencies_ns,
                "first_request_ns": self.first_request_ns or 0,
                "last_response_ns": self.last_response_ns or 0,
                "client_rss_bytes": client_rss_bytes}


class RssGrowth:
    """client_rss_bytes as run_fanout measures it: how far this process's peak RSS during the
    client rose above its RSS at the start. Where the C++ calls malloc_trim, this collects
    garbage an earlier call left; the peak (VmHWM) is reset by writing 5 to
    /proc/self/clear_refs, as harness::reset_peak_rss does."""

    def __enter__(self) -> "RssGrowth":
        gc.collect()
        self.baseline = _status_bytes("VmRSS")
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        self.bytes = 0
        return self

    def __exit__(self, *exc) -> None:
        self.bytes = max(0, _status_bytes("VmHWM") - self.baseline)


def _status_bytes(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024  # "VmRSS:   12345 kB"
    raise RuntimeError(f"/proc/self/status has no {field}")


def describe(error: BaseException) -> str:
    """An exception as one short line: 'ConnectionResetError: [Errno 104] ...'."""
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__

