"""The HTTP side of mixed/blocking_in_loop's Python servers (requests.hpp's counterpart).

    RequestStream.next_requests(data) -> [Request, ...]    every complete request, in order
    answer(request, work_result) -> bytes                  its response

A minimal parser, correct for what this workload's clients send (the suite's load generator,
curl): bytes are appended to the connection's buffer; each complete request at its front is
handed out in order and removed (pipelining: one read may hold many requests, or part of one).
The responses are the C++ servers' bytes (requests.cpp's append_answer): Content-Type
text/plain, Content-Length, "Connection: close" when closing, "Connection: keep-alive" for an
HTTP/1.0 keep-alive request, no Server or Date line:
  GET /cheap       200 "ok"
  GET /expensive   200 "ok <the work's result>"
  anything else    404 "Not Found"
  malformed        400 (bad request or header line, no Host in HTTP/1.1, a bad Content-Length),
                   431 (a head over 8 KiB), 413 (a body over 4 KiB), 501 (Transfer-Encoding),
                   505 (a version other than HTTP/1.0 and 1.1); then the connection closes
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_HEAD_BYTES = 8 * 1024
MAX_BODY_BYTES = 4 * 1024  # requests.cpp: these servers take GETs, not bodies
STATUS_TEXT = {200: b"OK", 400: b"Bad Request", 404: b"Not Found", 413: b"Content Too Large",
               431: b"Request Header Fields Too Large", 501: b"Not Implemented",
               505: b"HTTP Version Not Supported"}

CHEAP, EXPENSIVE, NOT_FOUND = "cheap", "expensive", "not_found"


@dataclass(slots=True)
class Request:
    route: str = NOT_FOUND
    keep_alive: bool = True
    http10: bool = False
    error_status: int = 0  # a malformed request: the status to answer before closing


def malformed(status: int) -> Request:
    return Request(keep_alive=False, error_status=status)


def parse_head(head: bytes) -> tuple[Request, int]:
    """One request head (without its blank line): the request and the length of its body."""
    lines = head.lstrip(b"\r\n").split(b"\r\n")  # empty lines before a request are allowed
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not parts[0] or not parts[1]:
        return malformed(400), 0
    method, target, version = parts
    if version not in (b"HTTP/1.1", b"HTTP/1.0"):
        well_formed = version.startswith(b"HTTP/") and len(version) == 8 and version[6:7] == b"."
        return malformed(505 if well_formed else 400), 0
    http10 = version == b"HTTP/1.0"
    hosts = 0
    connection = b""
    body_bytes = 0
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon or not name or name != name.strip() or b"\r" in line or b"\n" in line:
            return malformed(400), 0
        name = name.lower()
        value = value.strip(b" \t")
        if name == b"host":
            hosts += 1
        elif name == b"connection":
            connection = value.lower()
        elif name == b"content-length":
            if not value.isdigit():
                return malformed(400), 0
            body_bytes = int(value)
            if body_bytes > MAX_BODY_BYTES:
                return malformed(413), 0
        elif name == b"transfer-encoding":
            return malformed(501), 0
    if hosts > 1 or (hosts == 0 and not http10):
        return malformed(400), 0
    if connection:
        tokens = {token.strip() for token in connection.split(b",")}
        keep_alive = b"keep-alive" in tokens if http10 else b"close" not in tokens
    else:
        keep_alive = not http10
    path = target.split(b"?", 1)[0]
    route = NOT_FOUND
    if method == b"GET" and path == b"/cheap":
        route = CHEAP
    elif method == b"GET" and path == b"/expensive":
        route = EXPENSIVE
    return Request(route, keep_alive, http10), body_bytes


class RequestStream:
    """A connection's receive buffer: bytes in, complete requests out."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def next_requests(self, data: bytes) -> list[Request]:
        """Appends `data`; returns every complete request now buffered, in order, removing
        them. After a malformed one (the last in the list) the connection must close."""
        buffer = self.buffer
        buffer += data
        requests = []
        start = 0
        while True:
            end = buffer.find(b"\r\n\r\n", start)
            if (end < 0 and len(buffer) - start > MAX_HEAD_BYTES) or end - start > MAX_HEAD_BYTES:
                requests.append(malformed(431))
                break
            if end < 0:
                break
            request, body_bytes = parse_head(bytes(buffer[start:end]))
            if request.error_status:
                requests.append(request)
                break
            if end + 4 + body_bytes > len(buffer):
                break  # the body has not all arrived
            requests.append(request)
            start = end + 4 + body_bytes
        del buffer[:start]
        return requests


def response(status: int, body: bytes, keep_alive: bool, http10: bool) -> bytes:
    return b"".join((
        b"HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
        % (status, STATUS_TEXT[status], len(body)),
        b"" if keep_alive else b"Connection: close\r\n",
        b"Connection: keep-alive\r\n" if keep_alive and http10 else b"",
        b"\r\n",
        body,
    ))


def answer(request: Request, work_result: int = 0) -> bytes:
    """The response to `request`; `work_result` goes into an expensive request's body."""
    if request.error_status:
        return response(request.error_status, STATUS_TEXT[request.error_status], False, False)
    if request.route == CHEAP:
        return response(200, b"ok", request.keep_alive, request.http10)
    if request.route == EXPENSIVE:
        return response(200, b"ok %d" % work_result, request.keep_alive, request.http10)
    return response(404, b"Not Found", request.keep_alive, request.http10)
