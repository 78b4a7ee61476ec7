//! The HTTP/1.1 the tokio server models of io/http_plaintext and mixed/blocking_in_loop share:
//! a request head parsed (the request line, the headers that matter to these servers, the
//! keep-alive decision), a response written, with the C++ servers' bytes, and a connection's
//! bytes received (`ReceiveBuffer`) and responses sent (`send_responses`). Each server keeps its
//! routes, limits and connection loop. The parser is minimal and correct for what the suite's
//! clients send (its generator, wrk, curl), like the Python models' (py_http.py,
//! py_requests.py).

use std::io::Write;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The reason phrase of every status these servers send.
pub fn status_text(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        _ => "HTTP Version Not Supported", // 505
    }
}

/// Where `needle` first occurs in `haystack`.
pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// A well-formed request head: what the servers route on and how the connection goes on.
pub struct Head<'a> {
    pub method: &'a [u8],
    /// The request target as sent ("*", "/plaintext?x=1", ...).
    pub target: &'a [u8],
    /// The target's path: the part before any '?'.
    pub path: &'a [u8],
    pub http10: bool,
    pub keep_alive: bool,
    pub body_bytes: usize,
}

/// One request head (without its blank line), or the status of a malformed one: 400 (a bad
/// request or header line, no Host in HTTP/1.1 or more than one, a bad Content-Length), 413 (a
/// body over `max_body_bytes`), 501 (Transfer-Encoding), 505 (a version other than HTTP/1.0 or
/// 1.1). Empty lines before the request line are allowed.
pub fn parse_head(head: &[u8], max_body_bytes: usize) -> Result<Head<'_>, u16> {
    let head = trim(head, b"\r\n");
    let mut lines = crlf_lines(head);
    let mut parts = lines.next().unwrap_or_default().split(|&b| b == b' ');
    let (method, target, version) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(method), Some(target), Some(version), None)
            if !method.is_empty() && !target.is_empty() =>
        {
            (method, target, version)
        }
        _ => return Err(400),
    };
    let http10 = match version {
        b"HTTP/1.1" => false,
        b"HTTP/1.0" => true,
        _ if version.len() == 8 && version.starts_with(b"HTTP/") && version[6] == b'.' => {
            return Err(505)
        }
        _ => return Err(400),
    };
    let mut hosts = 0;
    let mut connection: Option<&[u8]> = None;
    let mut body_bytes = 0;
    for line in lines {
        let colon = line.iter().position(|&b| b == b':');
        let name = &line[..colon.unwrap_or(0)];
        if colon.is_none()
            || name.is_empty()
            || trim(name, b" \t\x0b\x0c") != name
            || line.contains(&b'\r')
            || line.contains(&b'\n')
        {
            return Err(400);
        }
        let value = trim(&line[colon.unwrap_or(0) + 1..], b" \t");
        if name.eq_ignore_ascii_case(b"host") {
            hosts += 1;
        } else if name.eq_ignore_ascii_case(b"connection") {
            connection = Some(value);
        } else if name.eq_ignore_ascii_case(b"content-length") {
            if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
                return Err(400);
            }
            body_bytes =
                std::str::from_utf8(value).ok().and_then(|v| v.parse().ok()).unwrap_or(usize::MAX);
            if body_bytes > max_body_bytes {
                return Err(413);
            }
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            return Err(501);
        }
    }
    if hosts > 1 || (hosts == 0 && !http10) {
        return Err(400);
    }
    let keep_alive = match connection {
        Some(value) => {
            let mut tokens = value.split(|&b| b == b',').map(|t| trim(t, b" \t"));
            if http10 {
                tokens.any(|t| t.eq_ignore_ascii_case(b"keep-alive"))
            } else {
                !tokens.any(|t| t.eq_ignore_ascii_case(b"close"))
            }
        }
        None => !http10,
    };
    let path = target.split(|&b| b == b'?').next().unwrap_or_default();
    Ok(Head { method, target, path, http10, keep_alive, body_bytes })
}

/// A response as the C++ servers write it (corio::net::http's order of lines).
#[derive(Clone, Copy, Default)]
pub struct Response<'a> {
    pub status: u16,
    pub body: &'a [u8],
    pub keep_alive: bool,
    /// The request was HTTP/1.0: a keep-alive answer says "Connection: keep-alive".
    pub http10: bool,
    /// HEAD: the head says the body's length, the body is not sent.
    pub head_only: bool,
    /// Lines every response of the server carries, after "Connection: close".
    pub common_headers: &'a [u8],
    /// Lines of this response alone, after "Connection: keep-alive".
    pub extra_headers: &'a [u8],
}

/// Appends `response` to `out`: the status line, Content-Type text/plain, Content-Length,
/// "Connection: close" when closing, the common lines, "Connection: keep-alive" for an HTTP/1.0
/// keep-alive request, the extra lines, the blank line and the body.
pub fn append_response(out: &mut Vec<u8>, response: &Response) {
    let _ = write!(
        out,
        "HTTP/1.1 {} {}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n",
        response.status,
        status_text(response.status),
        response.body.len()
    );
    if !response.keep_alive {
        out.extend_from_slice(b"Connection: close\r\n");
    }
    out.extend_from_slice(response.common_headers);
    if response.keep_alive && response.http10 {
        out.extend_from_slice(b"Connection: keep-alive\r\n");
    }
    out.extend_from_slice(response.extra_headers);
    out.extend_from_slice(b"\r\n");
    if !response.head_only {
        out.extend_from_slice(response.body);
    }
}

/// A connection's receive buffer: the bytes read and not yet answered (`buffered`), which may
/// hold many pipelined requests or part of one. It starts at `initial` bytes and, when full of
/// one unanswered request, doubles up to `max` (the largest request the server accepts).
pub struct ReceiveBuffer {
    bytes: Vec<u8>,
    begin: usize,
    end: usize,
    max: usize,
}

impl ReceiveBuffer {
    /// An empty buffer of `initial` bytes that may grow to `max`.
    pub fn new(initial: usize, max: usize) -> ReceiveBuffer {
        ReceiveBuffer { bytes: vec![0; initial], begin: 0, end: 0, max }
    }

    /// Reads what `stream` has into the buffer with one `read`, first making room when the
    /// buffer is full: the unanswered bytes moved to the front, or the buffer grown. Returns how
    /// many bytes came: 0 when the peer closed (or, full at `max`, there was no room).
    ///
    /// Cancel safe, as tokio's `read`: cancelled, it has received nothing.
    pub async fn read_from<R>(&mut self, stream: &mut R) -> std::io::Result<usize>
    where
        R: AsyncRead + Unpin,
    {
        if self.end == self.bytes.len() {
            if self.begin > 0 {
                self.bytes.copy_within(self.begin..self.end, 0);
                self.end -= self.begin;
                self.begin = 0;
            } else {
                self.bytes.resize((self.bytes.len() * 2).min(self.max), 0);
            }
        }
        let n = stream.read(&mut self.bytes[self.end..]).await?;
        self.end += n;
        Ok(n)
    }

    /// The bytes received and not yet consumed.
    pub fn buffered(&self) -> &[u8] {
        &self.bytes[self.begin..self.end]
    }

    /// Drops the first `n` buffered bytes (the requests answered); once none is left, the next
    /// read fills the buffer from its front.
    pub fn consume(&mut self, n: usize) {
        self.begin += n;
        if self.begin == self.end {
            self.begin = 0;
            self.end = 0;
        }
    }
}

/// Sends the responses buffered in `send`, if any, with one `write_all` (one write system call
/// when the socket takes them all), and empties `send` for the next ones. A server calls it once
/// every request already received is answered, so that a burst of pipelined requests costs one
/// write; an error means the client is gone and the connection's task should end.
///
/// Not cancel safe: cancelled midway, part of `send` may be written and `send` keeps all of it.
pub async fn send_responses<W>(stream: &mut W, send: &mut Vec<u8>) -> std::io::Result<()>
where
    W: AsyncWrite + Unpin,
{
    if !send.is_empty() {
        stream.write_all(send).await?;
        send.clear();
    }
    Ok(())
}

/// The lines of a head, split at each "\r\n" (a bare '\r' or '\n' stays in its line).
fn crlf_lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(bytes);
    std::iter::from_fn(move || {
        let current = rest?;
        match find(current, b"\r\n") {
            Some(i) => {
                rest = Some(&current[i + 2..]);
                Some(&current[..i])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

fn trim<'a>(bytes: &'a [u8], what: &[u8]) -> &'a [u8] {
    let start = bytes.iter().position(|b| !what.contains(b)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !what.contains(b)).map_or(start, |i| i + 1);
    &bytes[start..end]
}
