// runtime/switch in Go: two goroutines take turns, `switches` steps in all. The same shape as
// corio.cpp, run on one thread (GOMAXPROCS=1, the row beside corio).
//
// via:yield: each step ends in runtime.Gosched(), which puts the goroutine at the back of the
// global run queue, behind the other one. But on every 61st schedule Go's scheduler takes from
// that queue before its local one, and then runs the goroutine that just yielded again (3% of
// the steps came twice in a row in a test run), so each goroutine also waits for its turn: an
// atomic turn variable, read after each Gosched until it names this goroutine. The rare extra
// Gosched is in the time, as Go delivers a yield; the check can then only count the steps.
//
// via:event: the Go idiom for "wake the other and wait to be woken" is a pair of unbuffered
// channels: A steps, sends on B's channel and receives on its own; B receives, steps and sends
// on A's. The tally records each step, so goroutines that ran their loops back to back would
// fail the check.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"corio/workloads/common/go/protocol"
)

type params struct {
	Via      string `json:"via"`
	Switches int64  `json:"switches"`
}

type result struct {
	Steps    int64 `json:"steps"`
	Handoffs int64 `json:"handoffs"`
}

// tally is params.hpp's Tally. Plain fields, as in the C++ models: one thread (GOMAXPROCS=1)
// runs both goroutines, and each touches the tally only while it holds the turn.
type tally struct {
	last int
	result
}

func (t *tally) step(task int) {
	if task != t.last {
		t.Handoffs++
	}
	t.last = task
	t.Steps++
}

func yielder(task int32, steps int64, turn *atomic.Int32, t *tally, done *sync.WaitGroup) {
	defer done.Done()
	for i := int64(0); i < steps; i++ {
		for turn.Load() != task {
			runtime.Gosched()
		}
		t.step(int(task))
		turn.Store(1 - task)
		runtime.Gosched()
	}
}

// A: step, wake B, wait for B.
func pinger(steps int64, wakeB chan<- struct{}, wakeA <-chan struct{}, t *tally,
	done *sync.WaitGroup) {
	defer done.Done()
	for i := int64(0); i < steps; i++ {
		t.step(0)
		wakeB <- struct{}{}
		<-wakeA
	}
}

// B: wait for A, step, wake A.
func ponger(steps int64, wakeB <-chan struct{}, wakeA chan<- struct{}, t *tally,
	done *sync.WaitGroup) {
	defer done.Done()
	for i := int64(0); i < steps; i++ {
		<-wakeB
		t.step(1)
		wakeA <- struct{}{}
	}
}

func play(p params) (result, error) {
	t := tally{last: -1} // no step yet, so the first step counts as a hand-off
	steps := p.Switches / 2
	var done sync.WaitGroup
	done.Add(2)
	switch p.Via {
	case "yield":
		var turn atomic.Int32 // task 0 first
		go yielder(0, steps, &turn, &t, &done)
		go yielder(1, steps, &turn, &t, &done)
	case "event":
		wakeA, wakeB := make(chan struct{}), make(chan struct{})
		go pinger(steps, wakeB, wakeA, &t, &done)
		go ponger(steps, wakeB, wakeA, &t, &done)
	default:
		return result{}, fmt.Errorf("via:%s has no Go model (yield or event)", p.Via)
	}
	done.Wait()
	return t.result, nil
}

func main() { protocol.Serve(play) }
