// io/sleep_fanout in Go: the seed's fetch_data as a Go programmer writes it. One goroutine per
// task calls time.Sleep(D) and stores its id (the "data") in its own slot of a results slice;
// a sync.WaitGroup waits for all N. The go row runs them on one thread (GOMAXPROCS=1, beside
// corio, asio and libuv), go_mt on one thread per core (beside corio_mt and asio_mt).
//
// bytes_per_task, by params.hpp's definition (harness/bytes_per_task.hpp, rss_or_heap): the
// goroutine that starts last, when the other N - 1 wait, takes the larger of the RSS growth
// (/proc/self/statm) and the growth of what Go's allocator holds in use (MemStats.HeapAlloc,
// the heap's live objects, where a goroutine's g struct and its timer are, plus StackInuse,
// the goroutine stacks: Go's counterpart of malloc's bytes in use) since just before the
// first goroutine. Two cases are not measured (memory_bytes -1), so the run's mean is over
// the calls that are:
//   - a call with no more goroutines than this process already had alive once: Go keeps dead
//     goroutines (their g and, until a GC frees it, their stack) and hands them to the next
//     `go` statements, so such a call would take almost nothing new. A fresh process per run
//     (the harness starts one) measures on its first call; that is corio's frame pool case,
//     which corio counts and Go does not let us count.
//   - a call in which some task had already finished when the last one started (creating
//     100,000 goroutines takes longer than D: the first ones' memory is being reused).
package main

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"corio/workloads/common/go/memory"
	"corio/workloads/common/go/protocol"
)

type params struct {
	Tasks   int64 `json:"tasks"`
	DelayMs int64 `json:"delay_ms"`
}

type result struct {
	Completed      int64 `json:"completed"`
	CompletedIDSum int64 `json:"completed_id_sum"`
	MemoryBytes    int64 `json:"memory_bytes"`
	ElapsedNs      int64 `json:"elapsed_ns"`
}

// The most goroutines of this model alive at once in this process so far (see above).
var mostAliveSoFar int64

func fetchAll(p params) (result, error) {
	start := time.Now()
	delay := time.Duration(p.DelayMs) * time.Millisecond
	ids := make([]int64, p.Tasks)
	var started, completed atomic.Int64
	memoryBytes := int64(-1)
	var wg sync.WaitGroup
	wg.Add(int(p.Tasks))

	fresh := p.Tasks > mostAliveSoFar
	probe := newMemoryProbe()
	for id := int64(0); id < p.Tasks; id++ {
		go func(id int64) {
			defer wg.Done()
			// The last to start samples memory: every other one is in its Sleep already.
			if started.Add(1) == p.Tasks && fresh && completed.Load() == 0 {
				memoryBytes = probe.grownBytes()
			}
			time.Sleep(delay)
			ids[id] = id
			completed.Add(1)
		}(id)
	}
	wg.Wait() // also publishes memoryBytes and ids to this goroutine

	if p.Tasks > mostAliveSoFar {
		mostAliveSoFar = p.Tasks
	}
	r := result{Completed: completed.Load(), MemoryBytes: memoryBytes}
	for _, id := range ids {
		r.CompletedIDSum += id
	}
	r.ElapsedNs = time.Since(start).Nanoseconds()
	return r, nil
}

// memoryProbe is params.hpp's MemoryProbe for Go: the baseline when made, the growth since.
type memoryProbe struct {
	rss, inUse int64
}

func newMemoryProbe() memoryProbe { return memoryProbe{rssBytes(), goInUseBytes()} }

func (m memoryProbe) grownBytes() int64 {
	grown := rssBytes() - m.rss
	if heap := goInUseBytes() - m.inUse; heap > grown {
		grown = heap
	}
	if grown < 0 {
		return 0
	}
	return grown
}

// Go's counterpart of malloc's bytes in use: live heap objects plus goroutine stacks.
// ReadMemStats stops the world for a few microseconds; it runs twice per call.
func goInUseBytes() int64 {
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	return int64(stats.HeapAlloc + stats.StackInuse)
}

// The resident set now (common/go/memory: /proc/self/statm); 0 when it cannot be read.
func rssBytes() int64 {
	rss, _ := memory.CurrentRSSBytes()
	return rss
}

func main() { protocol.Serve(fetchAll) }
