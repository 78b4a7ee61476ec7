// Package memory is the memory figures the Go models measure as the C++ models do (params.hpp's
// MemoryProbe, MemoryGrowth::rss_after_trim; runtime/task_memory, runtime/timers): resident set
// size from /proc/self/statm, like harness::current_rss_bytes, and settled readings, like
// harness::settled_rss_bytes. Go's counterpart of malloc_trim(0) is debug.FreeOSMemory(),
// which collects garbage and returns every free page of the heap to the kernel (Go 1.19 on
// Linux madvises with MADV_DONTNEED, so RSS drops at once).
package memory

import (
	"bytes"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
)

var pageSize = int64(os.Getpagesize())

// CurrentRSSBytes is /proc/self/statm's second field (resident pages), in bytes.
func CurrentRSSBytes() (int64, error) {
	statm, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, err
	}
	fields := bytes.Fields(statm)
	if len(fields) < 2 {
		return 0, fmt.Errorf("/proc/self/statm: %q", statm)
	}
	pages, err := strconv.ParseInt(string(fields[1]), 10, 64)
	return pages * pageSize, err
}

// SettledRSSBytes is harness::settled_rss_bytes for Go: RSS once garbage is collected and the
// heap's free pages are handed back to the kernel.
func SettledRSSBytes() (int64, error) {
	debug.FreeOSMemory()
	return CurrentRSSBytes()
}
