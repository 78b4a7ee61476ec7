//! io/sleep_fanout on tokio: the seed's fetch_data as the tokio docs write it. Each task is
//! `tokio::spawn`ed, awaits `tokio::time::sleep(D)` and returns its id (the "data"); the main
//! task awaits the N JoinHandles in order and sums the ids. The tokio row runs on the
//! current_thread runtime (beside corio, asio and libuv), tokio_mt on the multi_thread one
//! with a worker per core (beside corio_mt and asio_mt). tokio's timer wheel ticks in whole
//! milliseconds and rounds a deadline up, so no sleep ends before D.
//!
//! bytes_per_task, by params.hpp's definition (harness/bytes_per_task.hpp, rss_or_heap): the
//! task that starts last, when the other N - 1 wait, takes the larger of the RSS growth
//! (/proc/self/statm) and the growth of malloc's bytes in use (glibc's mallinfo2: Rust's
//! default allocator is the system malloc, which holds each task's cell, its future and the
//! sleep's timer entry) since just before the first spawn. Not measured (-1) when some task had
//! already finished by then (the first sleeps can end while 100,000 tasks are still being
//! started), as asio_mt does.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
struct Params {
    tasks: i64,
    delay_ms: u64,
}

#[derive(Serialize)]
struct Result {
    completed: i64,
    completed_id_sum: i64,
    memory_bytes: i64,
    elapsed_ns: i64,
}

struct Tally {
    tasks: i64,
    started: AtomicI64,
    completed: AtomicI64,
    memory_bytes: AtomicI64,
    probe: MemoryProbe,
}

async fn fetch_data(id: i64, delay: Duration, tally: Arc<Tally>) -> i64 {
    if tally.started.fetch_add(1, Ordering::Relaxed) + 1 == tally.tasks
        && tally.completed.load(Ordering::Relaxed) == 0
    {
        // The others already wait.
        tally.memory_bytes.store(tally.probe.grown_bytes(), Ordering::Relaxed);
    }
    tokio::time::sleep(delay).await;
    tally.completed.fetch_add(1, Ordering::Relaxed);
    id
}

async fn fetch_all(params: Params) -> std::result::Result<Result, String> {
    let start = Instant::now();
    let delay = Duration::from_millis(params.delay_ms);
    let mut handles = Vec::with_capacity(params.tasks as usize);
    let tally = Arc::new(Tally {
        tasks: params.tasks,
        started: AtomicI64::new(0),
        completed: AtomicI64::new(0),
        memory_bytes: AtomicI64::new(-1),
        probe: MemoryProbe::new(),
    });
    for id in 0..params.tasks {
        handles.push(tokio::spawn(fetch_data(id, delay, tally.clone())));
    }
    let mut completed_id_sum = 0;
    for handle in handles {
        completed_id_sum += handle.await.map_err(|e| e.to_string())?;
    }
    Ok(Result {
        completed: tally.completed.load(Ordering::Relaxed),
        completed_id_sum,
        memory_bytes: tally.memory_bytes.load(Ordering::Relaxed),
        elapsed_ns: start.elapsed().as_nanos() as i64,
    })
}

/// params.hpp's MemoryProbe: the baseline when made, `grown_bytes` the growth since.
struct MemoryProbe {
    rss: i64,
    heap: i64,
}

impl MemoryProbe {
    fn new() -> MemoryProbe {
        MemoryProbe { rss: rss_bytes(), heap: heap_in_use_bytes() }
    }

    fn grown_bytes(&self) -> i64 {
        (rss_bytes() - self.rss).max(heap_in_use_bytes() - self.heap).max(0)
    }
}

#[repr(C)]
struct MallInfo2 {
    arena: usize,
    ordblks: usize,
    smblks: usize,
    hblks: usize,
    hblkhd: usize,
    usmblks: usize,
    fsmblks: usize,
    uordblks: usize,
    fordblks: usize,
    keepcost: usize,
}

extern "C" {
    fn mallinfo2() -> MallInfo2;
}

/// malloc's bytes in use: small blocks (uordblks) plus mmap'd large ones (hblkhd), as
/// harness::heap_in_use_bytes reads them.
fn heap_in_use_bytes() -> i64 {
    // SAFETY: mallinfo2 takes no arguments and returns a plain struct (glibc >= 2.33).
    let info = unsafe { mallinfo2() };
    (info.uordblks + info.hblkhd) as i64
}

/// The resident set now: /proc/self/statm's second field, in 4 KiB pages.
fn rss_bytes() -> i64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|statm| statm.split_whitespace().nth(1).and_then(|pages| pages.parse().ok()))
        .map_or(0, |pages: i64| pages * 4096)
}

fn main() {
    corio_model::serve_tokio(fetch_all);
}
