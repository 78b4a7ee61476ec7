//! mixed/blocking_in_loop's tokio server: a task per connection on the current_thread runtime
//! (one thread, beside corio, asio and libuv), the expensive request's work where the variant
//! says, as tokio's docs put it ("CPU-bound computation and blocking code"):
//!   inline   called right in the connection's task: the runtime's only thread runs nothing
//!            else meanwhile, so every cheap request queued behind it waits (the mistake the
//!            workload shows; tokio's docs warn against it);
//!   offload  `tokio::task::spawn_blocking(work).await`: the work runs on tokio's blocking
//!            pool (threads started on demand, up to 512) and the task resumes on the runtime
//!            with its result, tokio's to_thread.
//!
//!     tokio --port PORT --threads=1 --variant inline|offload --work cpu|blocking --work-ms N
//!                                            (corio-bench starts it: common/built_server.hpp)
//!
//! HTTP/1.1 keep-alive: `read` into the connection's buffer, answer every complete request
//! buffered in order (the answers already due written before an expensive request's work
//! starts), `write_all`, read again. GET /cheap -> 200 "ok"; GET /expensive -> 200 "ok <the
//! work's result>"; anything else -> 404 "Not Found"; malformed -> 400 (a bad request or header
//! line, no Host in HTTP/1.1, a bad Content-Length), 431 (a head over 8 KiB), 413 (a body over
//! 4 KiB), 501 (Transfer-Encoding), 505 (a version other than HTTP/1.0 or 1.1), then the
//! connection closes. The C++ servers' bytes (requests.cpp's append_answer; py_requests.py):
//! Content-Type text/plain, Content-Length, "Connection: close" when closing, "Connection:
//! keep-alive" for an HTTP/1.0 keep-alive request. The parser is minimal and correct for what
//! this workload's clients send (the suite's generator, curl), like py_requests.py's.
//! TCP_NODELAY on every accepted socket. It listens on 127.0.0.1:PORT until SIGTERM ends it.

use std::io::Write;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

const MAX_HEAD_BYTES: usize = 8 * 1024;
const MAX_BODY_BYTES: usize = 4 * 1024; // requests.cpp: these servers take GETs, not bodies
const BUFFER_BYTES: usize = MAX_HEAD_BYTES + 4 + MAX_BODY_BYTES;
// work.cpp's: a candidate near 100,000 takes about 2 us of divisions; the clock is read every
// 4 candidates.
const CANDIDATES_PER_CLOCK_READ: u64 = 4;

#[derive(Clone, Copy, PartialEq)]
enum Route {
    Cheap,
    Expensive,
    NotFound,
}

/// One request: where it goes and how to answer; `status` != 0 for a malformed one.
#[derive(Clone, Copy)]
struct Request {
    route: Route,
    keep_alive: bool,
    http10: bool,
    status: u16,
}

impl Request {
    fn malformed(status: u16) -> Request {
        Request { route: Route::NotFound, keep_alive: false, http10: false, status }
    }
}

#[derive(Clone, Copy)]
enum Variant {
    Inline,
    Offload,
}

#[derive(Clone, Copy)]
struct Settings {
    variant: Variant,
    blocking: bool,
    duration: Duration,
}

fn status_text(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        _ => "HTTP Version Not Supported", // 505
    }
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

/// One request head (without its blank line): the request and the length of its body.
fn parse_head(head: &[u8]) -> (Request, usize) {
    let head = trim(head, b"\r\n"); // empty lines before a request line are allowed
    let mut lines = crlf_lines(head);
    let mut parts = lines.next().unwrap_or_default().split(|&b| b == b' ');
    let (method, target, version) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(method), Some(target), Some(version), None)
            if !method.is_empty() && !target.is_empty() =>
        {
            (method, target, version)
        }
        _ => return (Request::malformed(400), 0),
    };
    let http10 = match version {
        b"HTTP/1.1" => false,
        b"HTTP/1.0" => true,
        _ if version.len() == 8 && version.starts_with(b"HTTP/") && version[6] == b'.' => {
            return (Request::malformed(505), 0)
        }
        _ => return (Request::malformed(400), 0),
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
            return (Request::malformed(400), 0);
        }
        let value = trim(&line[colon.unwrap_or(0) + 1..], b" \t");
        if name.eq_ignore_ascii_case(b"host") {
            hosts += 1;
        } else if name.eq_ignore_ascii_case(b"connection") {
            connection = Some(value);
        } else if name.eq_ignore_ascii_case(b"content-length") {
            if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
                return (Request::malformed(400), 0);
            }
            body_bytes =
                std::str::from_utf8(value).ok().and_then(|v| v.parse().ok()).unwrap_or(usize::MAX);
            if body_bytes > MAX_BODY_BYTES {
                return (Request::malformed(413), 0);
            }
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            return (Request::malformed(501), 0);
        }
    }
    if hosts > 1 || (hosts == 0 && !http10) {
        return (Request::malformed(400), 0);
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
    let route = match (method, path) {
        (b"GET", b"/cheap") => Route::Cheap,
        (b"GET", b"/expensive") => Route::Expensive,
        _ => Route::NotFound,
    };
    (Request { route, keep_alive, http10, status: 0 }, body_bytes)
}

/// The next complete request at the front of `buffered` and how many bytes it took; None when
/// none is complete yet. After a malformed one the connection must close.
fn next_request(buffered: &[u8]) -> Option<(Request, usize)> {
    let head_end = find(buffered, b"\r\n\r\n");
    if head_end.map_or(buffered.len() > MAX_HEAD_BYTES, |end| end > MAX_HEAD_BYTES) {
        return Some((Request::malformed(431), buffered.len()));
    }
    let head_end = head_end?;
    let (request, body_bytes) = parse_head(&buffered[..head_end]);
    if request.status != 0 {
        return Some((request, buffered.len()));
    }
    let size = head_end + 4 + body_bytes;
    if size > buffered.len() {
        return None; // the body has not all arrived
    }
    Some((request, size))
}

fn append_response(out: &mut Vec<u8>, status: u16, body: &[u8], keep_alive: bool, http10: bool) {
    let _ = write!(
        out,
        "HTTP/1.1 {} {}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n",
        status,
        status_text(status),
        body.len()
    );
    if !keep_alive {
        out.extend_from_slice(b"Connection: close\r\n");
    }
    if keep_alive && http10 {
        out.extend_from_slice(b"Connection: keep-alive\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
}

/// The response to `request`; `work_result` goes into an expensive request's body.
fn append_answer(out: &mut Vec<u8>, request: &Request, work_result: u64) {
    if request.status != 0 {
        let text = status_text(request.status).as_bytes();
        return append_response(out, request.status, text, false, false);
    }
    match request.route {
        Route::Cheap => append_response(out, 200, b"ok", request.keep_alive, request.http10),
        Route::Expensive => {
            let body = format!("ok {work_result}");
            append_response(out, 200, body.as_bytes(), request.keep_alive, request.http10)
        }
        Route::NotFound => {
            append_response(out, 404, b"Not Found", request.keep_alive, request.http10)
        }
    }
}

fn is_odd_prime(n: u64) -> bool {
    let mut divisor = 3;
    while divisor * divisor <= n {
        if n % divisor == 0 {
            return false;
        }
        divisor += 2;
    }
    true
}

/// work.cpp's expensive_work: cpu counts primes by trial division (3, 5, 7, ...) until
/// `duration` of wall time (Instant: CLOCK_MONOTONIC, as the C++ steady_clock) has passed,
/// reading the clock every 4 candidates, and returns the count (2 counted); blocking is
/// std::thread::sleep, a nanosleep system call resumed after a signal, and returns 0.
fn expensive_work(blocking: bool, duration: Duration) -> u64 {
    if blocking {
        std::thread::sleep(duration);
        return 0;
    }
    let end = Instant::now() + duration;
    let mut primes = 1; // 2
    let mut candidate = 3;
    loop {
        for _ in 0..CANDIDATES_PER_CLOCK_READ {
            if is_odd_prime(candidate) {
                primes += 1;
            }
            candidate += 2;
        }
        if Instant::now() >= end {
            return primes;
        }
    }
}

async fn run_work(settings: Settings) -> u64 {
    match settings.variant {
        Variant::Inline => expensive_work(settings.blocking, settings.duration),
        Variant::Offload => {
            tokio::task::spawn_blocking(move || {
                expensive_work(settings.blocking, settings.duration)
            })
            .await
            .unwrap_or(0) // the work cannot panic; 0 would fail the client's check anyway
        }
    }
}

async fn serve(mut stream: TcpStream, settings: Settings) {
    let _ = stream.set_nodelay(true);
    // Every request the parser accepts fits: no growing, only moving a partial one forward.
    let mut receive = vec![0u8; BUFFER_BYTES];
    let (mut begin, mut end) = (0, 0);
    let mut send = Vec::with_capacity(BUFFER_BYTES);
    loop {
        if end == receive.len() {
            receive.copy_within(begin..end, 0);
            end -= begin;
            begin = 0;
        }
        match stream.read(&mut receive[end..]).await {
            Ok(0) | Err(_) => return,
            Ok(n) => end += n,
        }
        let mut close = false;
        while let Some((request, size)) = next_request(&receive[begin..end]) {
            begin += size;
            let mut result = 0;
            if request.status == 0 && request.route == Route::Expensive {
                // The answers already due go out before the work starts.
                if !send.is_empty() {
                    if stream.write_all(&send).await.is_err() {
                        return;
                    }
                    send.clear();
                }
                result = run_work(settings).await;
            }
            append_answer(&mut send, &request, result);
            if !request.keep_alive {
                close = true;
                break;
            }
        }
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

async fn accept_connections(listener: TcpListener, settings: Settings) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(serve(stream, settings));
            }
            // Out of descriptors (EMFILE) or a connection reset before it was accepted: wait a
            // moment and accept again.
            Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
        }
    }
}

// --- What every server program of the suite does around its sessions (the same lines in
// io/tcp_echo/tokio.rs and io/http_plaintext/tokio.rs: one file per model). ---

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
    let flags = flags(&["variant", "work", "work-ms"]);
    let variant = match flags.get("variant").map_or("inline", String::as_str) {
        "inline" => Variant::Inline,
        "offload" => Variant::Offload,
        other => refuse(&format!("--variant {other}: want inline or offload")),
    };
    let blocking = match flags.get("work").map_or("cpu", String::as_str) {
        "cpu" => false,
        "blocking" => true,
        other => refuse(&format!("--work {other}: want cpu or blocking")),
    };
    // work.cpp's bounds: longer outlives the client's timeout.
    let work_ms: u64 = flags
        .get("work-ms")
        .map_or(Some(5), |ms| ms.parse().ok())
        .filter(|ms| (1..=10_000).contains(ms))
        .unwrap_or_else(|| refuse("--work-ms must be 1 to 10000"));
    let settings = Settings { variant, blocking, duration: Duration::from_millis(work_ms) };
    raise_descriptor_limit();
    let runtime = runtime(&flags);
    // The accept loop runs as a spawned task, not in block_on's own future: a task spawned on
    // the runtime is woken by the scheduler, block_on's future through the I/O driver.
    runtime.block_on(async move {
        let listener = listen(&flags);
        let _ = tokio::spawn(accept_connections(listener, settings)).await;
    });
}
