//! The clocks the C++ models read, for tokio models that report the same figures:
//! `monotonic_ns` (CLOCK_MONOTONIC, steady_clock's clock, through the vDSO) and
//! `process_cpu_time_ns` (CLOCK_PROCESS_CPUTIME_ID: the CPU time of every thread of the
//! process). std::time::Instant is CLOCK_MONOTONIC too, but hides its value; the CPU clock has
//! no std counterpart. Both by FFI to libc's clock_gettime (no libc crate in Debian's set here).

#[repr(C)]
struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
}

fn read(clock: i32) -> i64 {
    let mut time = Timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec (two 64-bit fields on x86-64 and arm64).
    unsafe { clock_gettime(clock, &mut time) };
    time.tv_sec * 1_000_000_000 + time.tv_nsec
}

/// CLOCK_MONOTONIC now, in nanoseconds.
pub fn monotonic_ns() -> i64 {
    const CLOCK_MONOTONIC: i32 = 1;
    read(CLOCK_MONOTONIC)
}

/// The CPU time of every thread of this process so far, in nanoseconds.
pub fn process_cpu_time_ns() -> i64 {
    const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
    read(CLOCK_PROCESS_CPUTIME_ID)
}
