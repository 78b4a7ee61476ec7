"""The HTTP/1.1 side of io/http_plaintext's Python servers: bytes in, replies out.

    Answerer().answer(buffer) -> (replies, close)

A minimal request parser, correct for what clients of this workload send (the suite's load
generator, wrk, curl): every complete request at the front of `buffer` (a bytearray the server
appends what it reads to) is answered in order and removed from it; a partial request stays for
the next read (pipelining: one read may hold many requests, or part of one). It is the Python
counterpart of HttpSession (http_session.hpp): one state machine every Python model shares, so
that they differ only in how they wait for sockets.

Replies, the same bytes as the C++ models' servers send (workloads/common/http_routes.hpp):
  GET or HEAD /plaintext   200 text/plain "Hello, World!" (HEAD: no body)
  OPTIONS *                200, "Allow: GET, HEAD"
  another method           405 with "Allow: GET, HEAD" on /plaintext (RFC 9110's and PATCH),
                           501 for a method RFC 9110 does not define
  another target           404 "Not Found"
  malformed                400 (a bad request line or header line, no Host in HTTP/1.1, a
                           bad Content-Length), 431 (a head over 8 KiB), 501
                           (Transfer-Encoding: this server takes no request bodies but
                           Content-Length ones), 505 (a version other than HTTP/1.0 or 1.1),
                           413 (a body over 1 MiB); then the connection closes
Each reply has Content-Type, Content-Length, "Connection: close" when closing, then
"Server: bench" and Date (an IMF-fixdate, formatted once a second), and "Connection:
keep-alive" for an HTTP/1.0 keep-alive request, in the order corio::net::http's
write_response_head writes them. The body is the one the reply's kind says: the replies are
made by their kind (status, keep-alive, HTTP/1.0, HEAD, Allow), once per kind and second.
"""

from __future__ import annotations

import time
from email.utils import formatdate

HELLO = b"Hello, World!"
MAX_HEAD_BYTES = 8 * 1024
MAX_BODY_BYTES = 1024 * 1024
RFC9110_METHODS = {b"GET", b"HEAD", b"POST", b"PUT", b"DELETE", b"CONNECT", b"OPTIONS",
                   b"TRACE", b"PATCH"}
STATUS_TEXT = {200: b"OK", 400: b"Bad Request", 404: b"Not Found",
               405: b"Method Not Allowed", 413: b"Content Too Large",
               431: b"Request Header Fields Too Large", 501: b"Not Implemented",
               505: b"HTTP Version Not Supported"}
ALLOW = b"Allow: GET, HEAD\r\n"


class Answerer:
    """One connection's replies. Every reply is made once a second at most: the replies of the
    current second (the Date line changes once a second) are kept by their kind, shared by
    every connection of the process, so that the common request costs a parse and a lookup."""

    _date_second = -1
    _replies: dict[tuple[int, bool, bool, bool, bool], bytes] = {}

    def reply(self, status: int, body: bytes, keep_alive: bool, http10: bool = False,
              head_only: bool = False, allow: bool = False) -> bytes:
        now = int(time.time())
        if now != Answerer._date_second:
            Answerer._replies = {}
            Answerer._date_second = now
        key = (status, keep_alive, http10, head_only, allow)
        made = Answerer._replies.get(key)
        if made is None:
            made = Answerer._replies[key] = b"".join((
                b"HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                % (status, STATUS_TEXT[status], len(body)),
                b"" if keep_alive else b"Connection: close\r\n",
                b"Server: bench\r\nDate: %s\r\n" % formatdate(now, usegmt=True).encode(),
                b"Connection: keep-alive\r\n" if keep_alive and http10 else b"",
                ALLOW if allow else b"",
                b"\r\n",
                b"" if head_only else body,
            ))
        return made

    def error(self, status: int) -> tuple[bytes, int, bool]:
        """A malformed request's reply: the status, then the connection closes."""
        return self.reply(status, STATUS_TEXT[status], keep_alive=False), 0, True

    def answer(self, buffer: bytearray) -> tuple[bytes, bool]:
        """Answers and removes every complete request at the front of `buffer`.

        Returns the replies (b"" when no request is complete yet) and whether the connection
        must close once they are sent.
        """
        replies = []
        start = 0
        close = False
        while not close:
            end = buffer.find(b"\r\n\r\n", start)
            if (end < 0 and len(buffer) - start > MAX_HEAD_BYTES) or end - start > MAX_HEAD_BYTES:
                replies.append(self.error(431)[0])
                close = True
                break
            if end < 0:
                break
            reply, body_bytes, close = self.answer_head(bytes(buffer[start:end]))
            if end + 4 + body_bytes > len(buffer) and not close:
                break  # the body has not all arrived: answer when it has
            replies.append(reply)
            start = end + 4 + body_bytes
        del buffer[:start]
        return b"".join(replies), close

    def answer_head(self, head: bytes) -> tuple[bytes, int, bool]:
        """The reply to one request head, the length of its body, whether to close after it."""
        head = head.lstrip(b"\r\n")  # empty lines before a request line are allowed
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ")
        if len(parts) != 3 or not parts[0] or not parts[1]:
            return self.error(400)
        method, target, version = parts
        if version == b"HTTP/1.1":
            http10 = False
        elif version == b"HTTP/1.0":
            http10 = True
        elif version.startswith(b"HTTP/") and len(version) == 8 and version[6:7] == b".":
            return self.error(505)
        else:
            return self.error(400)
        hosts = 0
        connection = b""
        body_bytes = 0
        for line in lines[1:]:
            name, colon, value = line.partition(b":")
            if not colon or not name or name != name.strip() or b"\n" in line or b"\r" in line:
                return self.error(400)
            name = name.lower()
            value = value.strip(b" \t")
            if name == b"host":
                hosts += 1
            elif name == b"connection":
                connection = value.lower()
            elif name == b"content-length":
                if not value.isdigit():
                    return self.error(400)
                body_bytes = int(value)
                if body_bytes > MAX_BODY_BYTES:
                    return self.error(413)
            elif name == b"transfer-encoding":
                return self.error(501)
        if hosts > 1 or (hosts == 0 and not http10) or (target == b"*") != (method == b"OPTIONS"
                                                                             and target == b"*"):
            return self.error(400)
        if connection:
            tokens = {token.strip() for token in connection.split(b",")}
            keep_alive = b"keep-alive" in tokens if http10 else b"close" not in tokens
        else:
            keep_alive = not http10
        head_only = method == b"HEAD"
        # The order of workloads/common/http_routes.cpp's route().
        if method not in RFC9110_METHODS or method == b"CONNECT":
            status, body, allow = 501, STATUS_TEXT[501], False
        elif target == b"*":
            status, body, allow = 200, b"", True
        elif target.split(b"?", 1)[0] != b"/plaintext":
            status, body, allow = 404, STATUS_TEXT[404], False
        elif method in (b"GET", b"HEAD"):
            status, body, allow = 200, HELLO, False
        else:
            status, body, allow = 405, STATUS_TEXT[405], True
        return self.reply(status, body, keep_alive, http10, head_only, allow), body_bytes, \
            not keep_alive
