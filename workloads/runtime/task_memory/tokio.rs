//! runtime/task_memory on tokio: N idle tasks, each awaiting one shared `tokio::sync::Notify`
//! (tokio's event), released together by `notify_waiters()`. The same shape as corio.cpp, on
//! the current_thread runtime (the row beside corio): the main task spawns all N, then one
//! `yield_now()` lets every one run up to its wait (the run queue is FIFO, and tokio 1.24
//! defers a yielding task's wake-up until that queue has run dry), RSS is sampled, the waiters
//! are notified and every JoinHandle is awaited. An idle task is its task cell (header,
//! scheduler hooks, and the future: the async block's state with its `Notified`, the wait-list
//! node), and its JoinHandle in the main task's Vec (8 bytes, the counterpart of corio's spawn
//! bookkeeping: the Vec is reserved before the baseline but its pages are first touched as it
//! fills, after it).
//!
//! bytes_per_task is the C++ models' figure (params.hpp's MemoryProbe, MemoryGrowth::
//! rss_after_trim): RSS growth (/proc/self/statm, like harness::current_rss_bytes) between two
//! readings taken after glibc's malloc_trim(0) (Rust's default allocator is glibc's malloc), over
//! N: common/rust/memory.rs. The baseline is taken inside the runtime, once it exists (a C++
//! model's includes its loop's set-up, noise at this N). Each run is a fresh process called once (iterations() ==
//! 1), so no earlier call's freed memory is reused unseen.

use std::sync::atomic::{AtomicI64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Instant;

use corio_model::memory::settled_rss_bytes;
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

#[derive(Deserialize)]
struct Params {
    tasks: i64,
}

#[derive(Serialize)]
struct Result {
    waiting_at_sample: i64,
    finished_at_sample: i64,
    finished: i64,
    rss_delta_bytes: i64,
    creation_ns: i64,
    error: String,
}

struct Shared {
    release: Notify,
    waiting: AtomicI64,
    finished: AtomicI64,
}

async fn wait_all(params: Params) -> std::result::Result<Result, String> {
    let shared = Arc::new(Shared {
        release: Notify::new(),
        waiting: AtomicI64::new(0),
        finished: AtomicI64::new(0),
    });
    let mut handles = Vec::with_capacity(params.tasks as usize);
    let baseline = settled_rss_bytes()?;

    let creating = Instant::now();
    for _ in 0..params.tasks {
        let shared = shared.clone();
        handles.push(tokio::spawn(async move {
            let released = shared.release.notified();
            shared.waiting.fetch_add(1, Relaxed);
            released.await;
            shared.finished.fetch_add(1, Relaxed);
        }));
    }
    tokio::task::yield_now().await; // every spawned task runs first, up to its wait
    let creation_ns = creating.elapsed().as_nanos() as i64;

    let rss_delta_bytes = settled_rss_bytes()? - baseline;
    let waiting_at_sample = shared.waiting.load(Relaxed);
    let finished_at_sample = shared.finished.load(Relaxed);
    shared.release.notify_waiters();
    for handle in handles {
        handle.await.map_err(|e| e.to_string())?;
    }
    Ok(Result {
        waiting_at_sample,
        finished_at_sample,
        finished: shared.finished.load(Relaxed),
        rss_delta_bytes,
        creation_ns,
        error: String::new(),
    })
}

fn main() {
    corio_model::serve_tokio(wait_all);
}
