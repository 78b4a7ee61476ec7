//! io/pipeline on tokio: the producer -> bounded queue -> K consumers pipeline with
//! `tokio::sync::mpsc::channel(Q)`. An mpsc channel has one receiver, so the K consumer tasks
//! share it behind a `tokio::sync::Mutex` (the usual tokio way to hand one queue's items to
//! several workers; the mutex queues its waiters first come, first served): a consumer locks,
//! awaits `recv`, unlocks, then works. The main task produces; dropping the sender ends the
//! consumers once the channel is drained, and their JoinHandles return their tallies. work:io
//! waits with `tokio::time::sleep(1 ms)` (tokio's timer wheel rounds it up to the next
//! millisecond tick), so K consumers overlap their waits. The tokio row runs on the
//! current_thread runtime (beside corio, asio and libuv), tokio_mt on the multi_thread one
//! with a worker per core (beside corio_mt, asio_mt and threads).
//!
//! A record is params.hpp's Record, 32 little-endian words (the id, then 31 splitmix64 words
//! seeded by it), moved by value through the channel, and the work is FNV-1a over its 256
//! bytes: the checksums are the ones check() expects. A `try_send` that finds the channel full
//! is a stall; the producer then awaits `send`. workers: the runtime's worker threads.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{mpsc, Mutex};

#[derive(Deserialize)]
struct Params {
    consumers: i64,
    capacity: usize,
    items: u64,
    work: String,
}

#[derive(Serialize)]
struct Result {
    consumed: i64,
    id_sum: u64,
    checksum: u64,
    queue_full_stalls: i64,
    workers: i64,
}

const IO_WAIT: Duration = Duration::from_millis(1); // params.hpp's kIoWait

type Record = [u64; 32]; // [0] is the id, [1..] the payload

fn make_record(id: u64) -> Record {
    let mut record = [0u64; 32];
    record[0] = id;
    let mut state = id;
    for word in record.iter_mut().skip(1) {
        state = state.wrapping_add(0x9e3779b97f4a7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        *word = z ^ (z >> 31);
    }
    record
}

/// FNV-1a over the record's 256 bytes, little-endian words byte by byte (params.hpp's).
fn hash_record(record: &Record) -> u64 {
    let mut hash: u64 = 0xcbf29ce484222325;
    for word in record {
        for byte in 0..8 {
            hash ^= (word >> (8 * byte)) & 0xff;
            hash = hash.wrapping_mul(0x100000001b3);
        }
    }
    hash
}

#[derive(Default)]
struct Tally {
    consumed: i64,
    id_sum: u64,
    checksum: u64,
}

async fn consume(records: Arc<Mutex<mpsc::Receiver<Record>>>, io: bool) -> Tally {
    let mut tally = Tally::default();
    loop {
        let next = records.lock().await.recv().await;
        let record = match next {
            Some(record) => record,
            None => return tally, // the sender is gone and the channel drained
        };
        if io {
            tokio::time::sleep(IO_WAIT).await;
        }
        tally.consumed += 1;
        tally.id_sum = tally.id_sum.wrapping_add(record[0]);
        tally.checksum = tally.checksum.wrapping_add(hash_record(&record));
    }
}

async fn pipeline(params: Params) -> std::result::Result<Result, String> {
    let (sender, receiver) = mpsc::channel::<Record>(params.capacity);
    let receiver = Arc::new(Mutex::new(receiver));
    let io = params.work == "io";
    let consumers: Vec<_> =
        (0..params.consumers).map(|_| tokio::spawn(consume(receiver.clone(), io))).collect();

    let mut queue_full_stalls = 0;
    for id in 0..params.items {
        match sender.try_send(make_record(id)) {
            Ok(()) => {}
            Err(TrySendError::Full(record)) => {
                queue_full_stalls += 1;
                sender.send(record).await.map_err(|_| "every consumer is gone".to_string())?;
            }
            Err(TrySendError::Closed(_)) => return Err("every consumer is gone".to_string()),
        }
    }
    drop(sender);

    let mut result = Result { consumed: 0, id_sum: 0, checksum: 0, queue_full_stalls, workers: 0 };
    for consumer in consumers {
        let tally = consumer.await.map_err(|e| e.to_string())?;
        result.consumed += tally.consumed;
        result.id_sum = result.id_sum.wrapping_add(tally.id_sum);
        result.checksum = result.checksum.wrapping_add(tally.checksum);
    }
    result.workers = worker_threads();
    Ok(result)
}

/// The runtime's worker threads: 1 on current_thread, else what --threads asked for, or
/// tokio's default of one per core (its metrics, which would say, are unstable in 1.24).
fn worker_threads() -> i64 {
    match corio_model::threads() {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get() as i64),
        n => n as i64,
    }
}

fn main() {
    corio_model::serve_tokio(pipeline);
}
