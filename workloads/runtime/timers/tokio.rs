//! runtime/timers on tokio: N spawned tasks each `tokio::time::sleep(D)`, all at once, on the
//! current_thread runtime (the row beside corio), their JoinHandles awaited in order. The same
//! shape as corio.cpp: the main task spawns them all, then one `yield_now()` lets every one run
//! up to its sleep (the run queue is FIFO, and tokio 1.24 defers a yielding task's wake-up
//! until that queue has run dry), and RSS is sampled. A sleeping task is its task cell (header,
//! scheduler hooks and the future, which holds the `Sleep` and its timer entry, linked into
//! the time driver's wheel) and its JoinHandle in the main task's Vec.
//!
//! Lateness, params.hpp's definition: a task reads the monotonic clock (std::time::Instant,
//! CLOCK_MONOTONIC, the clock of tokio's timers) right before `sleep(D)` and adds D; first
//! thing after it reads the clock again, and the difference is its lateness, kept in one slot
//! per task allocated and written in full before the RSS baseline (LatenessSlots). `sleep(D)`
//! takes `Instant::now() + D` after the task's own reading, and tokio's wheel rounds a deadline
//! up to its next millisecond tick and fires it only once that tick has passed: no early wake.
//! Each task writes only its own slot, through an AtomicI64 (relaxed: plain moves on x86), as
//! tokio::spawn wants shared data to be Sync.
//!
//! bytes_per_task is the C++ models' figure: RSS growth over N between two readings taken after
//! malloc_trim(0) (see task_memory/tokio.rs).

use std::sync::atomic::{AtomicI64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

use corio_model::memory::settled_rss_bytes;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
struct Params {
    tasks: i64,
    sleep_ms: u64,
}

#[derive(Serialize)]
struct Result {
    fired: i64,
    fired_id_sum: i64,
    asleep_at_sample: i64,
    awake_at_sample: i64,
    rss_delta_bytes: i64,
    lateness_ns: Vec<i64>,
    may_fire_early: bool,
    elapsed_ns: i64,
    error: String,
}

const NOT_ARMED: i64 = i64::MIN; // LatenessSlots::kNotArmed

struct Shared {
    base: Instant, // clock(t) = t - base, in ns
    slots: Vec<AtomicI64>,
    asleep: AtomicI64,
    fired: AtomicI64,
    fired_id_sum: AtomicI64,
    last_wake_ns: AtomicI64,
}

impl Shared {
    fn clock_ns(&self) -> i64 {
        self.base.elapsed().as_nanos() as i64
    }
}

async fn sleeper(id: usize, sleep: Duration, shared: Arc<Shared>) {
    shared.asleep.fetch_add(1, Relaxed);
    let slot = &shared.slots[id];
    slot.store(shared.clock_ns() + sleep.as_nanos() as i64, Relaxed);
    tokio::time::sleep(sleep).await;
    let now = shared.clock_ns();
    slot.store(now - slot.load(Relaxed), Relaxed);
    shared.last_wake_ns.store(now, Relaxed); // one thread: wakes come in clock order
    shared.fired.fetch_add(1, Relaxed);
    shared.fired_id_sum.fetch_add(id as i64, Relaxed);
}

async fn sleep_all(params: Params) -> std::result::Result<Result, String> {
    let tasks = params.tasks as usize;
    let sleep = Duration::from_millis(params.sleep_ms);
    // Before the RSS baseline: not the tasks' memory.
    let shared = Arc::new(Shared {
        base: Instant::now(),
        slots: (0..tasks).map(|_| AtomicI64::new(NOT_ARMED)).collect(),
        asleep: AtomicI64::new(0),
        fired: AtomicI64::new(0),
        fired_id_sum: AtomicI64::new(0),
        last_wake_ns: AtomicI64::new(0),
    });
    let mut handles = Vec::with_capacity(tasks);
    let baseline = settled_rss_bytes()?;

    let start_ns = shared.clock_ns();
    for id in 0..tasks {
        handles.push(tokio::spawn(sleeper(id, sleep, shared.clone())));
    }
    tokio::task::yield_now().await; // every spawned task runs first, up to its sleep
    let rss_delta_bytes = settled_rss_bytes()? - baseline;
    let asleep_at_sample = shared.asleep.load(Relaxed);
    let awake_at_sample = shared.fired.load(Relaxed);
    for handle in handles {
        handle.await.map_err(|e| e.to_string())?;
    }

    Ok(Result {
        fired: shared.fired.load(Relaxed),
        fired_id_sum: shared.fired_id_sum.load(Relaxed),
        asleep_at_sample,
        awake_at_sample,
        rss_delta_bytes,
        lateness_ns: shared.slots.iter().map(|slot| slot.load(Relaxed)).collect(),
        may_fire_early: false,
        elapsed_ns: shared.last_wake_ns.load(Relaxed) - start_ns,
        error: String::new(),
    })
}

fn main() {
    corio_model::serve_tokio(sleep_all);
}
