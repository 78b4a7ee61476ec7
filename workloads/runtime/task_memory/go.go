// runtime/task_memory in Go: N idle goroutines, each blocked receiving from one shared channel
// that is closed to release them all (Go's broadcast: a receive from a closed channel returns
// at once). The same shape as corio.cpp, on one thread (GOMAXPROCS=1, the row beside corio).
// A sync.WaitGroup tells the main goroutine when every one has begun to wait: each counts
// itself and calls Done right before its receive, and with one thread the last one runs on to
// its receive before the woken main goroutine can run, so all N are parked when RSS is
// sampled. An idle goroutine is its g (the runtime's goroutine struct) and its stack (2 KiB to
// start with; the closure's few bytes are on it), plus its entry in the channel's wait queue
// (a sudog).
//
// bytes_per_task is the C++ models' figure (params.hpp's MemoryProbe, MemoryGrowth::
// rss_after_trim): RSS growth (/proc/self/statm, like harness::current_rss_bytes) between two
// settled readings, over N. Go's counterpart of malloc_trim(0) is debug.FreeOSMemory(), which
// collects garbage and returns every free page of the heap to the kernel (Go 1.19 on Linux
// madvises with MADV_DONTNEED, so RSS drops at once): common/go/memory. corio-bench starts a
// fresh process for each run and calls it once (iterations() == 1), so no earlier call's dead
// goroutines, whose g and stack Go keeps for reuse, hide this call's.
package main

import (
	"sync"
	"sync/atomic"
	"time"

	"corio/workloads/common/go/memory"
	"corio/workloads/common/go/protocol"
)

type params struct {
	Tasks int64 `json:"tasks"`
}

type result struct {
	WaitingAtSample  int64  `json:"waiting_at_sample"`
	FinishedAtSample int64  `json:"finished_at_sample"`
	Finished         int64  `json:"finished"`
	RSSDeltaBytes    int64  `json:"rss_delta_bytes"`
	CreationNs       int64  `json:"creation_ns"`
	Error            string `json:"error"`
}

func waitAll(p params) (result, error) {
	var r result
	var waiting, finished atomic.Int64
	var started, done sync.WaitGroup
	release := make(chan struct{})
	baseline, err := memory.SettledRSSBytes()
	if err != nil {
		return r, err
	}

	creating := time.Now()
	started.Add(int(p.Tasks))
	done.Add(int(p.Tasks))
	for i := int64(0); i < p.Tasks; i++ {
		go func() {
			defer done.Done()
			waiting.Add(1)
			started.Done()
			<-release
			finished.Add(1)
		}()
	}
	started.Wait() // every goroutine has run up to its receive
	r.CreationNs = time.Since(creating).Nanoseconds()

	rss, err := memory.SettledRSSBytes()
	if err != nil {
		return r, err
	}
	r.RSSDeltaBytes = rss - baseline
	r.WaitingAtSample = waiting.Load()
	r.FinishedAtSample = finished.Load()
	close(release)
	done.Wait()
	r.Finished = finished.Load()
	return r, nil
}

func main() { protocol.Serve(waitAll) }
