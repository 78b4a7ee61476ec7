//! io/http_plaintext's tokio server: a task per connection running an HTTP/1.1 keep-alive loop,
//! as a tokio expert writes a plaintext server for a benchmark: a `TcpListener` accepting in a
//! loop, `tokio::spawn` of one task per connection, and in each task `read` into the
//! connection's receive buffer, answer every complete request buffered (pipelining: one read
//! may hold many requests, or part of one) into one send buffer, `write_all` it, read again.
//! No hyper: it is not in Debian's crate set here, and a framework's per-request work would be
//! what is measured, not tokio's.
//!
//!     tokio --port PORT --threads=1|0    (corio-bench starts it: common/built_server.hpp)
//!
//! --threads=1 is the tokio row (the current_thread runtime: one thread, beside corio, asio,
//! libuv); --threads=0 the tokio_mt row (the multi_thread runtime, one worker per core,
//! beside corio_mt and asio_mt).
//!
//! The replies are the C++ models' bytes (http_session.hpp, py_http.py: the suite's routes in
//! workloads/common/http_routes.hpp): GET or HEAD /plaintext -> 200 text/plain "Hello,
//! World!"; another method of RFC 9110 on /plaintext -> 405 with "Allow: GET, HEAD"; a method
//! RFC 9110 does not define, or CONNECT -> 501; OPTIONS * -> 200 with Allow; another target ->
//! 404; malformed -> 400 (a bad request or header line, no Host in HTTP/1.1, a bad
//! Content-Length), 431 (a head over 8 KiB), 501 (Transfer-Encoding), 505 (a version other
//! than HTTP/1.0 or 1.1), 413 (a body over 1 MiB), then the connection closes. Each has
//! Content-Type, Content-Length, "Connection: close" when closing, "Server: bench" and Date
//! (formatted once a second per thread), and "Connection: keep-alive" for an HTTP/1.0
//! keep-alive request, in corio::net::http's order. The parser is minimal and correct for
//! what this workload's clients send (the suite's generator, wrk, curl), like py_http.py's.
//! TCP_NODELAY on every accepted socket and the soft descriptor limit raised to the hard one,
//! as the C++ servers do. It listens on 127.0.0.1:PORT until SIGTERM ends it. The parser, the
//! response's lines, the receive buffer and the sending of a burst's responses are
//! mixed/blocking_in_loop's too (common/rust/http.rs); the flags, the runtime, the listener and
//! the accept loop every tokio server's (common/rust/server.rs).

use std::cell::RefCell;
use std::time::{SystemTime, UNIX_EPOCH};

use corio_model::http::{self, find, status_text, ReceiveBuffer};
use corio_model::server;
use tokio::net::TcpStream;

const MAX_HEAD_BYTES: usize = 8 * 1024;
const MAX_BODY_BYTES: usize = 1024 * 1024;
const INITIAL_BUFFER_BYTES: usize = 16 * 1024;
const HELLO: &[u8] = b"Hello, World!";
const RFC9110_METHODS: [&[u8]; 9] =
    [b"GET", b"HEAD", b"POST", b"PUT", b"DELETE", b"CONNECT", b"OPTIONS", b"TRACE", b"PATCH"];

/// What a request is answered with.
#[derive(Clone, Copy)]
struct Reply {
    status: u16,
    body: &'static [u8],
    keep_alive: bool,
    http10: bool,
    head_only: bool,
    allow: bool,
}

impl Reply {
    fn malformed(status: u16) -> Reply {
        Reply {
            status,
            body: status_text(status).as_bytes(),
            keep_alive: false,
            http10: false,
            head_only: false,
            allow: false,
        }
    }
    fn is_common(&self) -> bool {
        self.status == 200 && self.keep_alive && !self.http10 && !self.head_only && !self.allow
    }
}

/// "Sun, 06 Nov 1994 08:49:37 GMT" for a time in seconds since 1970 (Howard Hinnant's
/// days-to-civil algorithm: the package has no date crate).
fn http_date(unix: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let days = (unix / 86_400) as i64;
    let seconds = unix % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        DAYS[(days % 7) as usize],
        day,
        MONTHS[(month - 1) as usize],
        year,
        seconds / 3_600,
        seconds % 3_600 / 60,
        seconds % 60
    )
}

/// The Server and Date lines of the current second and the reply nearly every request gets
/// (GET /plaintext, HTTP/1.1, keep-alive), made again when the second changes; one per thread.
struct Second {
    unix: u64,
    common_headers: Vec<u8>,
    hello: Vec<u8>,
}

thread_local! {
    static SECOND: RefCell<Second> =
        RefCell::new(Second { unix: u64::MAX, common_headers: Vec::new(), hello: Vec::new() });
}

fn append_reply(out: &mut Vec<u8>, common_headers: &[u8], reply: &Reply) {
    let response = http::Response {
        status: reply.status,
        body: reply.body,
        keep_alive: reply.keep_alive,
        http10: reply.http10,
        head_only: reply.head_only,
        common_headers,
        extra_headers: if reply.allow { b"Allow: GET, HEAD\r\n" } else { b"" },
    };
    http::append_response(out, &response);
}

fn append(out: &mut Vec<u8>, reply: &Reply) {
    SECOND.with(|second| {
        let mut second = second.borrow_mut();
        let unix = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        if unix != second.unix {
            second.unix = unix;
            second.common_headers =
                format!("Server: bench\r\nDate: {}\r\n", http_date(unix)).into_bytes();
            let mut hello = Vec::new();
            let common = Reply {
                status: 200,
                body: HELLO,
                keep_alive: true,
                http10: false,
                head_only: false,
                allow: false,
            };
            append_reply(&mut hello, &second.common_headers, &common);
            second.hello = hello;
        }
        if reply.is_common() {
            out.extend_from_slice(&second.hello);
        } else {
            append_reply(out, &second.common_headers, reply);
        }
    });
}

/// The reply to one request head (without its blank line) and the length of its body.
fn answer_head(head: &[u8]) -> (Reply, usize) {
    let head = match http::parse_head(head, MAX_BODY_BYTES) {
        Ok(head) => head,
        Err(status) => return (Reply::malformed(status), 0),
    };
    let (method, path) = (head.method, head.path);
    let star = head.target == b"*";
    if star && method != b"OPTIONS" {
        return (Reply::malformed(400), 0);
    }
    let mut reply = Reply {
        status: 200,
        body: HELLO,
        keep_alive: head.keep_alive,
        http10: head.http10,
        head_only: method == b"HEAD",
        allow: false,
    };
    // The order of workloads/common/http_routes.cpp's route().
    if !RFC9110_METHODS.contains(&method) || method == b"CONNECT" {
        reply.status = 501;
        reply.body = status_text(501).as_bytes();
    } else if star {
        reply.body = b"";
        reply.allow = true;
    } else if path != b"/plaintext" {
        reply.status = 404;
        reply.body = status_text(404).as_bytes();
    } else if method != b"GET" && method != b"HEAD" {
        reply.status = 405;
        reply.body = status_text(405).as_bytes();
        reply.allow = true;
    }
    (reply, head.body_bytes)
}

/// Answers every complete request at the front of `buffered` into `out`, in order; returns how
/// many bytes they took and whether the connection must close once `out` is sent.
fn answer(buffered: &[u8], out: &mut Vec<u8>) -> (usize, bool) {
    let mut start = 0;
    loop {
        let rest = &buffered[start..];
        let head_end = find(rest, b"\r\n\r\n");
        if head_end.map_or(rest.len() > MAX_HEAD_BYTES, |end| end > MAX_HEAD_BYTES) {
            append(out, &Reply::malformed(431));
            return (start, true);
        }
        let head_end = match head_end {
            Some(end) => end,
            None => return (start, false),
        };
        let (reply, body_bytes) = answer_head(&rest[..head_end]);
        if reply.keep_alive && head_end + 4 + body_bytes > rest.len() {
            return (start, false); // the body has not all arrived: answer when it has
        }
        append(out, &reply);
        if !reply.keep_alive {
            return (start, true);
        }
        start += head_end + 4 + body_bytes;
    }
}

async fn serve(mut stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    // A head over 8 KiB is answered 431 before the buffer grows past it; a body takes up to
    // 1 MiB.
    let mut receive = ReceiveBuffer::new(INITIAL_BUFFER_BYTES, MAX_HEAD_BYTES + 4 + MAX_BODY_BYTES);
    let mut send = Vec::with_capacity(INITIAL_BUFFER_BYTES);
    loop {
        if let Ok(0) | Err(_) = receive.read_from(&mut stream).await {
            return;
        }
        let (consumed, close) = answer(receive.buffered(), &mut send);
        receive.consume(consumed);
        if http::send_responses(&mut stream, &mut send).await.is_err() || close {
            return;
        }
    }
}

fn main() {
    server::run(&server::flags(&[]), serve);
}
