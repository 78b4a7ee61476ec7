//! limit/concurrency_limit on tokio: R spawned tasks, each holding a permit of
//! `tokio::sync::Semaphore::new(L)` (tokio's way to limit concurrency; its waiters are served
//! first come, first served, like corio's Semaphore). Holding a permit, a task takes a kept-alive
//! `TcpStream` from a list of idle ones, or connects when none is idle, writes the request,
//! reads the response, puts the connection back and drops the permit. Holding a permit is the
//! only way to hold a connection, so at most L exist, and the R - L waiting tasks cost a task
//! each and nothing else: corio's fan-out client (fanout_corio_fetch.cpp) and py_asyncio.py
//! line for line. The tokio row runs on the current_thread runtime (beside corio, asio and
//! libuv), tokio_mt on the multi_thread one with a worker per core (beside corio_mt and
//! asio_mt). The idle list and the tally sit behind std mutexes, never held across an await.
//!
//! HTTP is the same hand-rolled keep-alive framing as the Python clients (py_fanout.py), not an
//! HTTP crate: every model sends the same bytes (params["request"], the C++ clients' head) and
//! reads a status line, headers and a Content-Length body, so the models differ only in how
//! they wait. Latency runs from just before the request is written to its whole response read;
//! connecting is not in it, nor the wait for a permit. Times are CLOCK_MONOTONIC nanoseconds
//! (clock_gettime, the C++ steady_clock's clock).
//!
//! client_rss_bytes as run_fanout measures it: the peak RSS during the fan-out (VmHWM, reset by
//! writing 5 to /proc/self/clear_refs) above the RSS at its start, after malloc_trim(0), as the
//! C++ does (Rust's default allocator is the system malloc).

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

#[derive(Deserialize)]
struct Params {
    limit: usize,
    requests: i64,
    port: u16,
    request: String,
    expected_body: String,
    rejections_expected: bool,
}

#[derive(Serialize, Default)]
struct Result {
    ok: i64,
    rejected: i64,
    failed: i64,
    first_error: String,
    connections: i64,
    latencies_ns: Vec<i64>,
    first_request_ns: i64,
    last_response_ns: i64,
    client_rss_bytes: i64,
}

/// fanout::Tally: the outcomes so far.
impl Result {
    fn fail(&mut self, why: String) {
        self.failed += 1;
        if self.first_error.is_empty() {
            self.first_error = why;
        }
    }

    fn answered(&mut self, ok: bool, sent: i64, arrived: i64) {
        if ok {
            self.ok += 1;
            self.latencies_ns.push(arrived - sent);
        } else {
            self.rejected += 1;
        }
        if self.first_request_ns == 0 || sent < self.first_request_ns {
            self.first_request_ns = sent;
        }
        self.last_response_ns = self.last_response_ns.max(arrived);
    }
}

type Connection = BufReader<TcpStream>;

struct Shared {
    params: Params,
    permits: Semaphore,
    idle: Mutex<Vec<Connection>>,
    tally: Mutex<Result>,
}

/// Writes one request and reads its response: (status, body, keep-alive).
async fn exchange(
    connection: &mut Connection,
    request: &[u8],
) -> std::io::Result<(u32, Vec<u8>, bool)> {
    let bad = |what: String| std::io::Error::new(std::io::ErrorKind::InvalidData, what);
    connection.get_mut().write_all(request).await?;
    let (mut status, mut length, mut keep_alive) = (0, None, true);
    let mut line = String::new();
    for first in std::iter::once(true).chain(std::iter::repeat(false)) {
        line.clear();
        if connection.read_line(&mut line).await? == 0 {
            return Err(bad("the server closed the connection".to_string()));
        }
        let text = line.trim_end_matches(&['\r', '\n'][..]);
        if first {
            let parts: Vec<&str> = text.splitn(3, ' ').collect();
            status = match (parts.first(), parts.get(1).map(|code| code.parse::<u32>())) {
                (Some(version), Some(Ok(code))) if version.starts_with("HTTP/1.") => code,
                _ => return Err(bad(format!("malformed status line '{:.60}'", text))),
            };
            keep_alive = parts[0] == "HTTP/1.1";
            continue;
        }
        if text.is_empty() {
            break;
        }
        let (name, value) = text.split_once(':').unwrap_or((text, ""));
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => match value.parse::<usize>() {
                Ok(n) => length = Some(n),
                Err(_) => return Err(bad(format!("malformed Content-Length '{value}'"))),
            },
            "connection" => keep_alive = value.eq_ignore_ascii_case("keep-alive"),
            _ => {}
        }
    }
    let length = match length {
        Some(length) => length,
        None => return Err(bad(format!("status {status} without a Content-Length"))),
    };
    let mut body = vec![0; length];
    connection.read_exact(&mut body).await?;
    Ok((status, body, keep_alive))
}

async fn fetch(shared: Arc<Shared>) {
    let _permit = shared.permits.acquire().await.expect("the semaphore is never closed");
    let pooled = shared.idle.lock().unwrap().pop();
    let mut connection = match pooled {
        Some(connection) => connection,
        None => match TcpStream::connect(("127.0.0.1", shared.params.port)).await {
            Ok(stream) => {
                shared.tally.lock().unwrap().connections += 1;
                BufReader::new(stream)
            }
            Err(error) => {
                shared.tally.lock().unwrap().fail(format!("connect: {error}"));
                return;
            }
        },
    };
    let sent = corio_model::clock::monotonic_ns();
    let outcome = exchange(&mut connection, shared.params.request.as_bytes()).await;
    let arrived = corio_model::clock::monotonic_ns();
    let (status, body, keep_alive) = match outcome {
        Ok(answer) => answer,
        Err(error) => {
            shared.tally.lock().unwrap().fail(format!("GET: {error}"));
            return; // the connection is dropped, so closed
        }
    };
    {
        let mut tally = shared.tally.lock().unwrap();
        if status == 200 && body == shared.params.expected_body.as_bytes() {
            tally.answered(true, sent, arrived);
        } else if status == 503 && shared.params.rejections_expected {
            tally.answered(false, sent, arrived);
        } else {
            let shown = String::from_utf8_lossy(&body[..body.len().min(40)]).into_owned();
            tally.fail(if status == 200 {
                let expected = &shared.params.expected_body;
                format!("status 200 with body '{shown}', expected '{expected}'")
            } else {
                format!("status {status} ({shown})")
            });
            return; // out of step: dropped, not pooled
        }
    }
    if keep_alive {
        shared.idle.lock().unwrap().push(connection);
    }
}

async fn fan_out(params: Params) -> std::result::Result<Result, String> {
    let rss = RssGrowth::start()?;
    let requests = params.requests;
    let shared = Arc::new(Shared {
        permits: Semaphore::new(params.limit),
        idle: Mutex::new(Vec::new()),
        tally: Mutex::new(Result {
            latencies_ns: Vec::with_capacity(requests as usize),
            ..Default::default()
        }),
        params,
    });
    let tasks: Vec<_> = (0..requests).map(|_| tokio::spawn(fetch(shared.clone()))).collect();
    for task in tasks {
        task.await.map_err(|e| format!("a request's task failed: {e}"))?;
    }
    shared.idle.lock().unwrap().clear(); // closes the kept-alive connections
    let mut result = std::mem::take(&mut *shared.tally.lock().unwrap());
    result.client_rss_bytes = rss.grown_bytes();
    Ok(result)
}

extern "C" {
    fn malloc_trim(pad: usize) -> i32;
}

/// run_fanout's client memory figure: VmHWM at the end above VmRSS at the start.
struct RssGrowth {
    baseline: i64,
}

impl RssGrowth {
    fn start() -> std::result::Result<RssGrowth, String> {
        // SAFETY: malloc_trim only hands free heap memory back to the kernel.
        unsafe { malloc_trim(0) };
        let baseline = status_bytes("VmRSS");
        std::fs::write("/proc/self/clear_refs", "5")
            .map_err(|e| format!("cannot reset the peak RSS: {e}"))?;
        Ok(RssGrowth { baseline })
    }

    fn grown_bytes(&self) -> i64 {
        (status_bytes("VmHWM") - self.baseline).max(0)
    }
}

/// A "VmRSS:   12345 kB" line of /proc/self/status, in bytes.
fn status_bytes(field: &str) -> i64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field).and_then(|rest| rest.strip_prefix(':')))
        .and_then(|value| value.split_whitespace().next())
        .and_then(|kib| kib.parse::<i64>().ok())
        .map_or(0, |kib| kib * 1024)
}

fn main() {
    corio_model::serve_tokio(fan_out);
}
