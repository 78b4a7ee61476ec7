//! The memory figures the tokio models measure as the C++ models do (params.hpp's MemoryProbe,
//! MemoryGrowth::rss_after_trim; runtime/task_memory, runtime/timers): resident set size from
//! /proc/self/statm, like harness::current_rss_bytes, and readings taken after glibc's
//! malloc_trim(0) (Rust's default allocator is glibc's malloc), like
//! harness::settled_rss_bytes. Through the C library std already links: the package has no
//! libc crate.

extern "C" {
    fn malloc_trim(pad: usize) -> i32;
    fn sysconf(name: i32) -> i64;
}

const SC_PAGESIZE: i32 = 30; // _SC_PAGESIZE in glibc's <bits/confname.h>

/// Resident set size now: /proc/self/statm's second field (pages), in bytes.
pub fn current_rss_bytes() -> Result<i64, String> {
    let statm = std::fs::read_to_string("/proc/self/statm").map_err(|e| e.to_string())?;
    let pages: i64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|field| field.parse().ok())
        .ok_or_else(|| format!("/proc/self/statm: '{statm}'"))?;
    // SAFETY: sysconf only reads a system setting.
    Ok(pages * unsafe { sysconf(SC_PAGESIZE) })
}

/// harness::settled_rss_bytes: RSS once malloc_trim(0) has handed free heap memory back.
pub fn settled_rss_bytes() -> Result<i64, String> {
    // SAFETY: malloc_trim only releases free memory of glibc's heap.
    unsafe { malloc_trim(0) };
    current_rss_bytes()
}
