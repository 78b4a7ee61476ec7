"""What the Python fan-out clients of limit/concurrency_limit share besides the tally (that is
workloads/common/python/fanout_tally.py, io/http_fanout's too): the HTTP/1.1 framing and the
memory figure.

This is workloads/common/fanout_client.hpp's contract in Python, so that the Python models
differ from each other (and from the C++ clients) only in how they wait:
  - every request is the same bytes, params["request"] (the C++ clients' request head, made by
    corio's write_request_head and passed in by json.hpp), on a kept-alive connection that
    carries one request at a time; at most L = params["limit"] connections are opened;
  - a response is a status line, headers and a Content-Length body (the server's only
    framing); the tally counts a 200 with params["expected_body"] as ok, a 503 as rejected
    when params["rejections_expected"], anything else as failed (its connection dropped);
  - latency, first_request_ns and last_response_ns as fanout_tally.py defines them;
  - client_rss_bytes as RssGrowth below measures it.
"""

from __future__ import annotations

import gc


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
