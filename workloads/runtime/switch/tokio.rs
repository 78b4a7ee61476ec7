//! runtime/switch on tokio: two spawned tasks take turns, `switches` steps in all, on the
//! current_thread runtime (the row beside corio). The same shape as corio.cpp. via:yield: each
//! step ends in `tokio::task::yield_now()`. via:event: two `tokio::sync::Notify`s, tokio's
//! event: A steps, `notify_one`s B and awaits its own; B awaits, steps and notifies A (a
//! notify_one with no waiter leaves a permit, as a set Event stays set). The tally records
//! each step, so tasks that ran their loops back to back fail the check.
//!
//! tokio 1.24's yield_now defers the wake-up until the scheduler finds its run queue empty and
//! polls the I/O driver without blocking (an epoll_wait with timeout 0), so here one such poll
//! comes after every two steps: that is tokio's yield, measured as it is.

use std::sync::atomic::{AtomicI32, AtomicI64, Ordering::Relaxed};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

#[derive(Deserialize)]
struct Params {
    via: String,
    switches: i64,
}

#[derive(Serialize)]
struct Result {
    steps: i64,
    handoffs: i64,
}

/// params.hpp's Tally, shared by the two tasks (tokio::spawn wants Send + Sync). Only the task
/// holding the turn touches it, so relaxed loads and stores (plain moves on x86) suffice, as
/// the C++ models' plain fields do; no read-modify-write is needed.
struct Tally {
    last: AtomicI32,
    steps: AtomicI64,
    handoffs: AtomicI64,
}

impl Tally {
    fn step(&self, task: i32) {
        if task != self.last.load(Relaxed) {
            self.handoffs
                .store(self.handoffs.load(Relaxed) + 1, Relaxed);
        }
        self.last.store(task, Relaxed);
        self.steps.store(self.steps.load(Relaxed) + 1, Relaxed);
    }
}

async fn yielder(task: i32, steps: i64, tally: Arc<Tally>) {
    for _ in 0..steps {
        tally.step(task);
        tokio::task::yield_now().await;
    }
}

// A: step, wake B, wait for B.
async fn pinger(steps: i64, wake_b: Arc<Notify>, wake_a: Arc<Notify>, tally: Arc<Tally>) {
    for _ in 0..steps {
        tally.step(0);
        wake_b.notify_one();
        wake_a.notified().await;
    }
}

// B: wait for A, step, wake A.
async fn ponger(steps: i64, wake_b: Arc<Notify>, wake_a: Arc<Notify>, tally: Arc<Tally>) {
    for _ in 0..steps {
        wake_b.notified().await;
        tally.step(1);
        wake_a.notify_one();
    }
}

async fn play(params: Params) -> std::result::Result<Result, String> {
    // No step yet, so the first step counts as a hand-off.
    let tally = Arc::new(Tally {
        last: AtomicI32::new(-1),
        steps: AtomicI64::new(0),
        handoffs: AtomicI64::new(0),
    });
    let steps = params.switches / 2;
    let (a, b) = match params.via.as_str() {
        "yield" => (
            tokio::spawn(yielder(0, steps, tally.clone())),
            tokio::spawn(yielder(1, steps, tally.clone())),
        ),
        "event" => {
            let (wake_a, wake_b) = (Arc::new(Notify::new()), Arc::new(Notify::new()));
            (
                tokio::spawn(pinger(steps, wake_b.clone(), wake_a.clone(), tally.clone())),
                tokio::spawn(ponger(steps, wake_b, wake_a, tally.clone())),
            )
        }
        via => return Err(format!("via:{via} has no tokio model (yield or event)")),
    };
    a.await.map_err(|e| e.to_string())?;
    b.await.map_err(|e| e.to_string())?;
    Ok(Result {
        steps: tally.steps.load(Relaxed),
        handoffs: tally.handoffs.load(Relaxed),
    })
}

fn main() {
    corio_model::serve_tokio(play);
}
