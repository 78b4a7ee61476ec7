// runtime/timers in Go: N goroutines each time.Sleep(D), all at once, on one thread
// (GOMAXPROCS=1, the row beside corio); a sync.WaitGroup joins them. The same shape as
// corio.cpp: the main goroutine starts them all, then a second WaitGroup, on which each
// goroutine calls Done right after arming its deadline and before its sleep, tells it when
// every one is about to sleep; with one thread the last one runs on into its sleep before the
// woken main goroutine runs, so all N are asleep when RSS is sampled. A sleeping goroutine is
// its g, its stack (2 KiB to start with) and the runtime timer each g keeps for time.Sleep, in
// the P's timer heap.
//
// Lateness, params.hpp's definition: a goroutine reads the monotonic clock right before
// time.Sleep(D) and adds D; first thing after it reads the clock again, and the difference is
// its lateness. The clock is Go's monotonic reading (time.Since of one base time), which is the
// runtime's nanotime, CLOCK_MONOTONIC, the clock of its timers. The deadline and then the
// lateness live in one slot per goroutine, allocated and written in full before the RSS
// baseline (LatenessSlots). time.Sleep takes its own nanotime() + D after the goroutine's
// reading, and the runtime runs a timer only once nanotime() has reached it: no early wake.
//
// bytes_per_task is the C++ models' figure: RSS growth over N between two settled readings (see
// task_memory/go.go: debug.FreeOSMemory() for malloc_trim(0), /proc/self/statm).
package main

import (
	"math"
	"sync"
	"sync/atomic"
	"time"

	"corio/workloads/common/go/memory"
	"corio/workloads/common/go/protocol"
)

type params struct {
	Tasks   int64 `json:"tasks"`
	SleepMs int64 `json:"sleep_ms"`
}

type result struct {
	Fired          int64   `json:"fired"`
	FiredIDSum     int64   `json:"fired_id_sum"`
	AsleepAtSample int64   `json:"asleep_at_sample"`
	AwakeAtSample  int64   `json:"awake_at_sample"`
	RSSDeltaBytes  int64   `json:"rss_delta_bytes"`
	LatenessNs     []int64 `json:"lateness_ns"`
	MayFireEarly   bool    `json:"may_fire_early"`
	ElapsedNs      int64   `json:"elapsed_ns"`
	Error          string  `json:"error"`
}

const notArmed = math.MinInt64 // LatenessSlots::kNotArmed

func sleepAll(p params) (result, error) {
	r := result{LatenessNs: make([]int64, p.Tasks)}
	slots := r.LatenessNs
	for i := range slots {
		slots[i] = notArmed
	}
	sleep := time.Duration(p.SleepMs) * time.Millisecond
	base := time.Now() // clock(t) = time.Since(base): the monotonic clock, in ns
	var asleep, fired, firedIDSum, lastWakeNs atomic.Int64
	var armed, done sync.WaitGroup
	baseline, err := memory.SettledRSSBytes()
	if err != nil {
		return r, err
	}

	startNs := int64(time.Since(base))
	armed.Add(int(p.Tasks))
	done.Add(int(p.Tasks))
	for id := int64(0); id < p.Tasks; id++ {
		go func(id int64) {
			defer done.Done()
			asleep.Add(1)
			slots[id] = int64(time.Since(base) + sleep)
			armed.Done()
			time.Sleep(sleep)
			now := int64(time.Since(base))
			slots[id] = now - slots[id]
			lastWakeNs.Store(now) // one thread: wakes come in clock order
			fired.Add(1)
			firedIDSum.Add(id)
		}(id)
	}
	armed.Wait() // every goroutine is about to sleep: the last one sleeps before this returns
	rss, err := memory.SettledRSSBytes()
	if err != nil {
		return r, err
	}
	r.RSSDeltaBytes = rss - baseline
	r.AsleepAtSample = asleep.Load()
	r.AwakeAtSample = fired.Load()
	done.Wait()

	r.Fired = fired.Load()
	r.FiredIDSum = firedIDSum.Load()
	r.ElapsedNs = lastWakeNs.Load() - startNs
	return r, nil
}

func main() { protocol.Serve(sleepAll) }
