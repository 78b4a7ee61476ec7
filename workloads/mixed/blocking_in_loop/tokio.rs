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
//! The parser, the response's lines, the receive buffer and the sending of a burst's responses
//! are io/http_plaintext's too (common/rust/http.rs); the flags, the runtime, the listener and
//! the accept loop every tokio server's (common/rust/server.rs).

use std::time::{Duration, Instant};

use corio_model::http::{self, find, status_text, ReceiveBuffer};
use corio_model::server::{self, refuse};
use tokio::net::TcpStream;

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

/// One request head (without its blank line): the request and the length of its body.
fn parse_head(head: &[u8]) -> (Request, usize) {
    let head = match http::parse_head(head, MAX_BODY_BYTES) {
        Ok(head) => head,
        Err(status) => return (Request::malformed(status), 0),
    };
    let route = match (head.method, head.path) {
        (b"GET", b"/cheap") => Route::Cheap,
        (b"GET", b"/expensive") => Route::Expensive,
        _ => Route::NotFound,
    };
    (Request { route, keep_alive: head.keep_alive, http10: head.http10, status: 0 }, head.body_bytes)
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
    let response = http::Response { status, body, keep_alive, http10, ..Default::default() };
    http::append_response(out, &response);
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
    let mut receive = ReceiveBuffer::new(BUFFER_BYTES, BUFFER_BYTES);
    let mut send = Vec::with_capacity(BUFFER_BYTES);
    loop {
        if let Ok(0) | Err(_) = receive.read_from(&mut stream).await {
            return;
        }
        let mut close = false;
        while let Some((request, size)) = next_request(receive.buffered()) {
            receive.consume(size);
            let mut result = 0;
            if request.status == 0 && request.route == Route::Expensive {
                // The answers already due go out before the work starts.
                if http::send_responses(&mut stream, &mut send).await.is_err() {
                    return;
                }
                result = run_work(settings).await;
            }
            append_answer(&mut send, &request, result);
            if !request.keep_alive {
                close = true;
                break;
            }
        }
        if http::send_responses(&mut stream, &mut send).await.is_err() || close {
            return;
        }
    }
}

fn main() {
    let flags = server::flags(&["variant", "work", "work-ms"]);
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
    server::run(&flags, move |stream| serve(stream, settings));
}
