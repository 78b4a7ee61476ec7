"""What every Python fan-out client shares (io/http_fanout, limit/concurrency_limit): the tally
of answers by the rules of workloads/common/fanout_client.hpp, and the Result both json.hpp
files read.

  - a 200 answer with the expected body is ok; a 503 is rejected when rejections are expected
    (limit/concurrency_limit's bounded queue); anything else (another status, another body, a
    refused or reset connection) failed, its first text kept (fanout::classify's words);
  - latency runs from the request's write on an open connection to its whole response read,
    in time.monotonic_ns() (CLOCK_MONOTONIC, the C++ steady_clock's clock); connecting and
    the wait for the client's own limit are not in it;
  - first_request_ns / last_response_ns: when the first answered (ok or rejected) request was
    written and when the last answer arrived; the workloads' requests_per_second divides by
    the span between.
"""

from __future__ import annotations

OK, REJECTED, FAILED = "ok", "rejected", "failed"


class Tally:
    """Counts outcomes (fanout::Tally). Not thread-safe: a threaded model holds a lock."""

    def __init__(self, expected_body: str, rejections_expected: bool = False) -> None:
        self.expected_body = expected_body.encode()
        self.rejections_expected = rejections_expected
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

    def answered(self, status: int, body: bytes, sent_ns: int, arrived_ns: int) -> str:
        """Classifies and counts one answer (fanout::classify, then Tally::answered); returns
        its outcome, so that a client drops the connection of a failed one."""
        outcome, why = self.classify(status, body)
        if outcome == FAILED:
            self.fail(why)
            return outcome
        if outcome == OK:
            self.ok += 1
            self.latencies_ns.append(arrived_ns - sent_ns)
        else:
            self.rejected += 1
        if self.first_request_ns is None or sent_ns < self.first_request_ns:
            self.first_request_ns = sent_ns
        if self.last_response_ns is None or arrived_ns > self.last_response_ns:
            self.last_response_ns = arrived_ns
        return outcome

    def fail(self, why: str) -> None:
        self.failed += 1
        if not self.first_error:
            self.first_error = why

    def connected(self) -> None:
        self.connections += 1

    def result(self, **extra: int) -> dict:
        """The workload's Result as json.hpp reads it, with the workload's own figures (extra:
        limit/concurrency_limit's client_rss_bytes)."""
        return {"ok": self.ok, "rejected": self.rejected, "failed": self.failed,
                "first_error": self.first_error, "connections": self.connections,
                "latencies_ns": self.latencies_ns,
                "first_request_ns": self.first_request_ns or 0,
                "last_response_ns": self.last_response_ns or 0, **extra}


def describe(error: BaseException) -> str:
    """An exception as one short line: 'ConnectionResetError: [Errno 104] ...'."""
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
