// runtime/gather in Go: each round starts `children` goroutines, child i writing i into its
// own slot of a results slice, and waits for all of them with a sync.WaitGroup, Go's gather;
// the results are then summed in order. `rounds` rounds one after the other, so a dropped
// child or round fails the check. One thread (GOMAXPROCS=1, the row beside corio). A round
// allocates its results slice, as corio's gather does its vector of results.
package main

import (
	"sync"

	"corio/workloads/common/go/protocol"
)

type params struct {
	Children int64 `json:"children"`
	Rounds   int64 `json:"rounds"`
}

type result struct {
	Completed int64 `json:"completed"`
	Sum       int64 `json:"sum"`
}

func gather(p params) (result, error) {
	var r result
	var group sync.WaitGroup
	for round := int64(0); round < p.Rounds; round++ {
		values := make([]int64, p.Children)
		group.Add(int(p.Children))
		for i := int64(0); i < p.Children; i++ {
			go func(index int64) {
				defer group.Done()
				values[index] = index
			}(i)
		}
		group.Wait()
		for _, value := range values {
			r.Sum += value
		}
		r.Completed += int64(len(values))
	}
	return r, nil
}

func main() { protocol.Serve(gather) }
