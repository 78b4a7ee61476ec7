//! cpu/cpu_scaling on tokio, as its docs say to run CPU work.
//!   tokio (current_thread runtime, beside corio): W `tokio::spawn`ed tasks, each running its
//!     part to the end without an await, joined in order: one thread, so the parts run one
//!     after another. Concurrency without parallelism, speed-up 1.0, corio's gather.
//!   tokio_mt (multi_thread runtime): W parts sent to `tokio::task::spawn_blocking`, the
//!     runtime's pool for work that would block its workers (CPU-bound work included), their
//!     JoinHandles awaited by the main task. The pool starts a thread for a part when none of
//!     its threads is idle (up to 512), so W parts run on about W threads, as threads.cpp's;
//!     rayon, which tokio's docs name for CPU-bound work, is not among the suite's crates.
//!
//! The kernels are kernels.hpp's, bit for bit: recursive fib (its argument read through a
//! volatile load, the C++'s opaque(): LLVM would otherwise compute fib(n) once per part;
//! std::hint::black_box needs Rust 1.66), FNV-1a over the same 256 buffers of 4 KiB (splitmix64
//! bytes from the same seed, built when the program starts, before it says ready) and the same
//! Mandelbrot image (Rust never fuses a multiply and an add), so the checksums are the ones
//! check() expects.
//!
//! os_workers: the distinct threads that ran a part. cpu_time_ns: CLOCK_PROCESS_CPUTIME_ID
//! around the call (every thread of the process: the C++ models' user + system time).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

#[derive(Deserialize, Clone, Copy)]
struct Work {
    units: i64,
    fib_n: u32,
    hash_rounds: i64,
    mandel_width: i64,
    mandel_max_iterations: i64,
}

#[derive(Deserialize)]
struct Params {
    kernel: String,
    workers: i64,
    work: Work,
}

#[derive(Serialize)]
struct Result {
    checksum: u64,
    parts_done: i64,
    os_workers: i64,
    cpu_time_ns: i64,
}

#[derive(Clone, Copy)]
enum Kernel {
    Fib,
    Hash,
    Mandelbrot,
}

// --- fib: recursive Fibonacci, a function call per node ---

fn fib(n: u32) -> u64 {
    if n < 2 {
        n as u64
    } else {
        fib(n - 1) + fib(n - 2)
    }
}

// --- hash: 64-bit FNV-1a, one byte at a time ---

const FNV1A_OFFSET_BASIS: u64 = 0xcbf29ce484222325;
const FNV1A_PRIME: u64 = 0x100000001b3;
const HASH_BUFFER_COUNT: i64 = 256;
const HASH_BUFFER_BYTES: usize = 4096;

fn fnv1a(bytes: &[u8], mut hash: u64) -> u64 {
    for &byte in bytes {
        hash ^= byte as u64;
        hash = hash.wrapping_mul(FNV1A_PRIME);
    }
    hash
}

/// kernels::hash_buffers(): 1 MiB of splitmix64 bytes from a fixed seed, made once by main and
/// read-only after (leaked: it lives as long as the program).
fn make_hash_buffers() -> &'static [u8] {
    let mut state: u64 = 0x9e3779b97f4a7c15;
    let bytes: Vec<u8> = (0..HASH_BUFFER_COUNT as usize * HASH_BUFFER_BYTES)
        .map(|_| {
            state = state.wrapping_add(0x9e3779b97f4a7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
            (z ^ (z >> 31)) as u8
        })
        .collect();
    Box::leak(bytes.into_boxed_slice())
}

// --- mandelbrot: escape-time iteration counts of [-2.2, 0.8] x [-1.2, 1.2] ---

fn mandelbrot_iterations(cx: f64, cy: f64, max_iterations: i64) -> i64 {
    let (mut x, mut y) = (0.0f64, 0.0f64);
    let mut i = 0;
    while i < max_iterations && x * x + y * y <= 4.0 {
        let next_x = x * x - y * y + cx;
        y = 2.0 * x * y + cy;
        x = next_x;
        i += 1;
    }
    i
}

fn mandelbrot_row(row: i64, rows: i64, work: &Work) -> u64 {
    let (x_min, x_max, y_min, y_max) = (-2.2f64, 0.8f64, -1.2f64, 1.2f64);
    let cy = y_min + (y_max - y_min) * (row as f64 + 0.5) / rows as f64;
    let mut sum: u64 = 0;
    for column in 0..work.mandel_width {
        let cx = x_min + (x_max - x_min) * (column as f64 + 0.5) / work.mandel_width as f64;
        sum = sum.wrapping_add(mandelbrot_iterations(cx, cy, work.mandel_max_iterations) as u64);
    }
    sum
}

/// kernels::run_part: part `part` of `parts`, its units' checksum (sums wrap).
fn run_part(kernel: Kernel, work: &Work, buffers: &[u8], part: i64, parts: i64) -> u64 {
    let per_part = work.units / parts;
    let mut checksum: u64 = 0;
    match kernel {
        Kernel::Fib => {
            for _ in part * per_part..(part + 1) * per_part {
                // SAFETY: a plain read of a field we own; volatile only hides its value.
                let n = unsafe { std::ptr::read_volatile(&work.fib_n) };
                checksum = checksum.wrapping_add(fib(n));
            }
        }
        Kernel::Hash => {
            for unit in part * per_part..(part + 1) * per_part {
                let index = (unit % HASH_BUFFER_COUNT) as usize;
                let buffer = &buffers[index * HASH_BUFFER_BYTES..(index + 1) * HASH_BUFFER_BYTES];
                let mut hash = FNV1A_OFFSET_BASIS ^ unit as u64;
                for _ in 0..work.hash_rounds {
                    hash = fnv1a(buffer, hash);
                }
                checksum = checksum.wrapping_add(hash);
            }
        }
        Kernel::Mandelbrot => {
            let mut row = part;
            while row < work.units {
                let weight = row as u64 + 1;
                let row_sum = mandelbrot_row(row, work.units, work);
                checksum = checksum.wrapping_add(weight.wrapping_mul(row_sum));
                row += parts;
            }
        }
    }
    checksum
}

/// One part, and the thread that ran it.
fn part_on_this_thread(
    kernel: Kernel,
    work: Work,
    buffers: &[u8],
    part: i64,
    parts: i64,
) -> (u64, std::thread::ThreadId) {
    (run_part(kernel, &work, buffers, part, parts), std::thread::current().id())
}

async fn all_parts(params: Params, buffers: &'static [u8]) -> std::result::Result<Result, String> {
    let kernel = match params.kernel.as_str() {
        "fib" => Kernel::Fib,
        "hash" => Kernel::Hash,
        "mandelbrot" => Kernel::Mandelbrot,
        other => return Err(format!("unknown kernel '{other}': fib, hash or mandelbrot")),
    };
    let cpu_start = corio_model::clock::process_cpu_time_ns();
    let (work, parts) = (params.work, params.workers);
    let one_thread = corio_model::threads() == 1;
    let handles: Vec<_> = (0..parts)
        .map(|part| {
            if one_thread {
                tokio::spawn(async move { part_on_this_thread(kernel, work, buffers, part, parts) })
            } else {
                tokio::task::spawn_blocking(move || {
                    part_on_this_thread(kernel, work, buffers, part, parts)
                })
            }
        })
        .collect();
    let mut result = Result { checksum: 0, parts_done: 0, os_workers: 0, cpu_time_ns: 0 };
    let mut threads = HashSet::new();
    for handle in handles {
        let (checksum, thread) = handle.await.map_err(|e| format!("a part failed: {e}"))?;
        result.checksum = result.checksum.wrapping_add(checksum);
        result.parts_done += 1;
        threads.insert(thread);
    }
    result.os_workers = threads.len() as i64;
    result.cpu_time_ns = corio_model::clock::process_cpu_time_ns() - cpu_start;
    Ok(result)
}

fn main() {
    let buffers = make_hash_buffers(); // before the ready line, as the Go and Python models
    corio_model::serve_tokio(move |params| all_parts(params, buffers));
}
