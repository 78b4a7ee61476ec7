//! The Rust side of the suite's model protocol (harness/external_model.hpp has the whole of it;
//! workloads/common/python/model_protocol.py is the Python side), as the library `corio_model`
//! every tokio model links (workloads/external_models.cmake builds them).
//!
//! A model is a function from one parameter point (the workload's Params as JSON) to a result
//! (its Result as JSON). `serve` runs it for corio-bench: it says ready, then for each request
//! line runs the work, timing only the work, and answers one JSON line:
//!
//! ```text
//! -> {"params": {...}}
//! <- {"result": {...}, "seconds": 0.0123}     or     {"error": "..."}
//! ```
//!
//! The program takes one flag, `--threads=N`: 1 runs the model on tokio's current_thread runtime
//! (the rows beside corio, asio and libuv), 0 on the multi_thread runtime with tokio's default
//! of one worker per core (the `_mt` rows), N > 1 on N workers.
//!
//! Beside it, what more than one tokio model shares: `server` (a server model's flags, runtime,
//! listener and accept loop), `http` (the HTTP/1.1 request head and response of the HTTP
//! servers, a connection's receive buffer and the sending of a burst's responses), `memory` (RSS
//! as the C++ models' memory figures read it) and `clock` (the monotonic and process CPU clocks
//! as the C++ models read them).

pub mod clock;
pub mod http;
pub mod memory;
pub mod server;

use std::future::Future;
use std::io::{BufRead, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Deserialize)]
struct Request<P> {
    params: P,
}

/// The `--threads=N` the program was started with (0 when absent: every core).
pub fn threads() -> usize {
    let mut threads = 0;
    for arg in std::env::args().skip(1) {
        match arg.strip_prefix("--threads=").map(str::parse::<usize>) {
            Some(Ok(n)) => threads = n,
            _ => refuse(&format!(
                "unknown argument '{arg}': the one flag is --threads=N (1: current_thread, 0: multi_thread)"
            )),
        }
    }
    threads
}

/// A fresh runtime of the flavour `--threads` asks for, with its I/O and time drivers.
pub fn runtime() -> tokio::runtime::Runtime {
    let built = match threads() {
        1 => tokio::runtime::Builder::new_current_thread().enable_all().build(),
        n => {
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            if n > 1 {
                builder.worker_threads(n);
            }
            builder.enable_all().build()
        }
    };
    built.unwrap_or_else(|error| refuse(&format!("cannot build the tokio runtime: {error}")))
}

/// Answers corio-bench's requests with `work` until stdin ends.
pub fn serve<P, R>(mut work: impl FnMut(P) -> Result<R, String>)
where
    P: DeserializeOwned,
    R: Serialize,
{
    threads(); // refuses a wrong flag before the ready line
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    say(&mut out, &json!({"ready": true}));
    for line in std::io::stdin().lock().lines() {
        let line = match line {
            Ok(line) => line,
            Err(_) => break, // stdin closed under us: corio-bench is gone
        };
        let request: Request<P> = match serde_json::from_str(&line) {
            Ok(request) => request,
            Err(error) => {
                let shown: String = line.chars().take(200).collect();
                say(&mut out, &json!({"error": format!("malformed request '{shown}': {error}")}));
                continue;
            }
        };
        let start = Instant::now();
        // A panic fails this call with its message; the program stays usable.
        let outcome = catch_unwind(AssertUnwindSafe(|| work(request.params)));
        let seconds = start.elapsed().as_secs_f64();
        let message = match outcome {
            Ok(Ok(result)) => json!({"result": result, "seconds": seconds}),
            Ok(Err(error)) => json!({"error": error}),
            Err(panic) => json!({"error": format!("panicked: {}", panic_text(&panic))}),
        };
        say(&mut out, &message);
    }
}

/// `serve` for an async function, on a fresh runtime per call (built and dropped inside the
/// timing, as a C++ model's corio::run is). The function runs as a spawned task, as corio::run's
/// main is one: the future `block_on` polls itself is not a task, and every wake-up of it goes
/// through the I/O driver (an eventfd write and an epoll_wait), ~3 us per join on
/// runtime/spawn, where a task's wake-up is a push on the scheduler's queue.
pub fn serve_tokio<P, R, F, Fut>(main: F)
where
    P: DeserializeOwned,
    R: Serialize + Send + 'static,
    F: Fn(P) -> Fut,
    Fut: Future<Output = Result<R, String>> + Send + 'static,
{
    serve(|params| {
        let task = main(params);
        runtime().block_on(async move {
            tokio::spawn(task).await.unwrap_or_else(|error| Err(format!("the main task failed: {error}")))
        })
    });
}

/// Tells corio-bench this model cannot run at all (instead of the ready line), and exits.
pub fn refuse(reason: &str) -> ! {
    say(&mut std::io::stdout().lock(), &json!({"error": reason}));
    std::process::exit(2);
}

fn say(out: &mut impl Write, message: &serde_json::Value) {
    // corio-bench reads one line per message; a failed write means it is gone.
    if writeln!(out, "{message}").and_then(|()| out.flush()).is_err() {
        std::process::exit(1);
    }
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "(no message)".to_string()
    }
}
