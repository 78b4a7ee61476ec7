// runtime/spawn in Go: start a goroutine for each child and receive its value before starting
// the next, summing what the children send (0 + 1 + ... + tasks-1), so a skipped spawn or join
// fails the check. The same shape as corio.cpp; one channel serves every child (an expert
// would not allocate one per join).
package main

import "corio/workloads/common/go/protocol"

type params struct {
	Tasks int64 `json:"tasks"`
}

type result struct {
	Joined int64 `json:"joined"`
	Sum    int64 `json:"sum"`
}

func spawnAndJoin(p params) (result, error) {
	var r result
	done := make(chan int64, 1)
	for i := int64(0); i < p.Tasks; i++ {
		go func(index int64) { done <- index }(i)
		r.Sum += <-done
		r.Joined++
	}
	return r, nil
}

func main() { protocol.Serve(spawnAndJoin) }
