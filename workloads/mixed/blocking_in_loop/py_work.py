"""The expensive request's work in Python (work.cpp's expensive_work, the same definition).

    expensive_work(work, seconds) -> int

  cpu:      counts primes by trial division by the odd numbers up to the square root (3, 5,
            7, ...) until `seconds` of wall time (time.monotonic, CLOCK_MONOTONIC as the C++
            steady_clock) have passed, reading the clock every 4 candidates, and returns the
            count (2 counted). A wall-time budget, as in C++: the work holds its thread for the
            same time in every model; CPython computes fewer primes in it.
  blocking: time.sleep(seconds) (resumed after a signal, PEP 475); returns 0.
"""

from __future__ import annotations

import math
import time

CANDIDATES_PER_CLOCK_READ = 4


def is_odd_prime(n: int) -> bool:
    return all(n % divisor for divisor in range(3, math.isqrt(n) + 1, 2))


def count_primes_for(seconds: float) -> int:
    end = time.monotonic() + seconds
    primes = 1  # 2
    candidate = 3
    while True:
        for _ in range(CANDIDATES_PER_CLOCK_READ):
            if is_odd_prime(candidate):
                primes += 1
            candidate += 2
        if time.monotonic() >= end:
            return primes


def expensive_work(work: str, seconds: float) -> int:
    if work == "blocking":
        time.sleep(seconds)
        return 0
    return count_primes_for(seconds)
