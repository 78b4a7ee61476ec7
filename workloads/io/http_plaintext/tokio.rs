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
//! as the C++ servers do. It listens on 127.0.0.1:PORT until SIGTERM ends it.

use std::cell::RefCell;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

const MAX_HEAD_BYTES: usize = 8 * 1024;
const MAX_BODY_BYTES: usize = 1024 * 1024;
const INITIAL_BUFFER_BYTES: usize = 16 * 1024;
const HELLO: &[u8] = b"Hello, World!";
const RFC9110_METHODS: [&[u8]; 9] =
    [b"GET", b"HEAD", b"POST", b"PUT", b"DELETE", b"CONNECT", b"OPTIONS", b"TRACE", b"PATCH"];

fn status_text(status: u16) -> &'static str {
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
    use std::io::Write;
    let _ = write!(
        out,
        "HTTP/1.1 {} {}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n",
        reply.status,
        status_text(reply.status),
        reply.body.len()
    );
    if !reply.keep_alive {
        out.extend_from_slice(b"Connection: close\r\n");
    }
    out.extend_from_slice(common_headers);
    if reply.keep_alive && reply.http10 {
        out.extend_from_slice(b"Connection: keep-alive\r\n");
    }
    if reply.allow {
        out.extend_from_slice(b"Allow: GET, HEAD\r\n");
    }
    out.extend_from_slice(b"\r\n");
    if !reply.head_only {
        out.extend_from_slice(reply.body);
    }
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

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
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

/// The reply to one request head (without its blank line) and the length of its body.
fn answer_head(head: &[u8]) -> (Reply, usize) {
    let head = trim(head, b"\r\n"); // empty lines before a request line are allowed
    let mut lines = crlf_lines(head);
    let mut parts = lines.next().unwrap_or_default().split(|&b| b == b' ');
    let (method, target, version) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(method), Some(target), Some(version), None)
            if !method.is_empty() && !target.is_empty() =>
        {
            (method, target, version)
        }
        _ => return (Reply::malformed(400), 0),
    };
    let http10 = match version {
        b"HTTP/1.1" => false,
        b"HTTP/1.0" => true,
        _ if version.len() == 8 && version.starts_with(b"HTTP/") && version[6] == b'.' => {
            return (Reply::malformed(505), 0)
        }
        _ => return (Reply::malformed(400), 0),
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
            return (Reply::malformed(400), 0);
        }
        let value = trim(&line[colon.unwrap_or(0) + 1..], b" \t");
        if name.eq_ignore_ascii_case(b"host") {
            hosts += 1;
        } else if name.eq_ignore_ascii_case(b"connection") {
            connection = Some(value);
        } else if name.eq_ignore_ascii_case(b"content-length") {
            if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
                return (Reply::malformed(400), 0);
            }
            body_bytes =
                std::str::from_utf8(value).ok().and_then(|v| v.parse().ok()).unwrap_or(usize::MAX);
            if body_bytes > MAX_BODY_BYTES {
                return (Reply::malformed(413), 0);
            }
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            return (Reply::malformed(501), 0);
        }
    }
    let star = target == b"*";
    if hosts > 1 || (hosts == 0 && !http10) || (star && method != b"OPTIONS") {
        return (Reply::malformed(400), 0);
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
    let mut reply = Reply {
        status: 200,
        body: HELLO,
        keep_alive,
        http10,
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
    (reply, body_bytes)
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
    let mut receive = vec![0u8; INITIAL_BUFFER_BYTES];
    let (mut begin, mut end) = (0, 0);
    let mut send = Vec::with_capacity(INITIAL_BUFFER_BYTES);
    loop {
        if end == receive.len() {
            if begin > 0 {
                receive.copy_within(begin..end, 0);
                end -= begin;
                begin = 0;
            } else {
                // A head over 8 KiB is answered 431 before this; a body takes up to 1 MiB.
                receive.resize((receive.len() * 2).min(MAX_HEAD_BYTES + 4 + MAX_BODY_BYTES), 0);
            }
        }
        match stream.read(&mut receive[end..]).await {
            Ok(0) | Err(_) => return,
            Ok(n) => end += n,
        }
        let (consumed, close) = answer(&receive[begin..end], &mut send);
        begin += consumed;
        if begin == end {
            begin = 0;
            end = 0;
        }
        if !send.is_empty() {
            if stream.write_all(&send).await.is_err() {
                return;
            }
            send.clear();
        }
        if close {
            return;
        }
    }
}

async fn accept_connections(listener: TcpListener) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(serve(stream));
            }
            // Out of descriptors (EMFILE) or a connection reset before it was accepted: wait a
            // moment and accept again.
            Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
        }
    }
}

// --- What every server program of the suite does around its sessions (the same lines in
// io/tcp_echo/tokio.rs and mixed/blocking_in_loop/tokio.rs: one file per model). ---

/// The command line: --port PORT (or --port=PORT), --threads=N, then `extra` names.
fn flags(extra: &[&str]) -> std::collections::HashMap<String, String> {
    let mut values = std::collections::HashMap::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let name_value = arg.strip_prefix("--").unwrap_or_else(|| refuse(&format!("{arg}?")));
        let (name, value) = match name_value.split_once('=') {
            Some((name, value)) => (name.to_string(), value.to_string()),
            None => (name_value.to_string(), args.next().unwrap_or_default()),
        };
        if name != "port" && name != "threads" && !extra.contains(&name.as_str()) {
            refuse(&format!("unknown flag --{name}"));
        }
        values.insert(name, value);
    }
    values
}

fn refuse(reason: &str) -> ! {
    eprintln!("{}: {reason}", std::env::args().next().unwrap_or_default());
    std::process::exit(2);
}

/// Raises the soft limit on open descriptors to the hard one (1,024 connections need more
/// than the usual soft 1,024). Through the C library std already links: the package has no
/// libc crate.
fn raise_descriptor_limit() {
    #[repr(C)]
    struct RLimit {
        current: u64,
        maximum: u64,
    }
    extern "C" {
        fn getrlimit(resource: i32, limit: *mut RLimit) -> i32;
        fn setrlimit(resource: i32, limit: *const RLimit) -> i32;
    }
    const RLIMIT_NOFILE: i32 = 7;
    let mut limit = RLimit { current: 0, maximum: 0 };
    // SAFETY: plain system calls on a struct laid out as the C library's struct rlimit.
    unsafe {
        if getrlimit(RLIMIT_NOFILE, &mut limit) == 0 && limit.current < limit.maximum {
            limit.current = limit.maximum;
            setrlimit(RLIMIT_NOFILE, &limit);
        }
    }
}

/// The runtime the row asks for: --threads=1 current_thread, 0 multi_thread over every core.
fn runtime(flags: &std::collections::HashMap<String, String>) -> tokio::runtime::Runtime {
    let threads: usize = flags
        .get("threads")
        .map_or(Some(1), |t| t.parse().ok())
        .unwrap_or_else(|| refuse("--threads wants a number"));
    let mut builder = if threads == 1 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    };
    if threads > 1 {
        builder.worker_threads(threads);
    }
    builder.enable_all().build().unwrap_or_else(|e| refuse(&format!("runtime: {e}")))
}

/// 127.0.0.1:PORT with a backlog of 4,096 (TcpListener::bind's is 1,024: 1,024 clients connect
/// at once here).
fn listen(flags: &std::collections::HashMap<String, String>) -> TcpListener {
    let port: u16 = flags
        .get("port")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| refuse("--port PORT is required"));
    let socket = TcpSocket::new_v4().unwrap_or_else(|e| refuse(&format!("socket: {e}")));
    let _ = socket.set_reuseaddr(true);
    socket
        .bind(([127, 0, 0, 1], port).into())
        .and_then(|()| socket.listen(4096))
        .unwrap_or_else(|e| refuse(&format!("listen on 127.0.0.1:{port}: {e}")))
}

fn main() {
    let flags = flags(&[]);
    raise_descriptor_limit();
    let runtime = runtime(&flags);
    // The accept loop runs as a spawned task, not in block_on's own future: a task spawned on
    // the runtime is woken by the scheduler, block_on's future through the I/O driver.
    runtime.block_on(async move {
        let listener = listen(&flags);
        let _ = tokio::spawn(accept_connections(listener)).await;
    });
}
