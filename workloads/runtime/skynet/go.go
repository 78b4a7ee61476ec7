// runtime/skynet in Go: the benchmark's own Go version (github.com/atemerev/skynet, go/skynet.go)
// in the suite's protocol. Every node is a goroutine: an inner node starts its 10 children on
// a channel of its own and sums the 10 values it receives from it, then sends the sum to its
// parent; leaf i sends i. One thread (GOMAXPROCS=1, the row beside corio).
package main

import (
	"fmt"

	"corio/workloads/common/go/protocol"
)

const fanOut = 10 // params.hpp's kFanOut

type params struct {
	Leaves int64 `json:"leaves"`
}

type result struct {
	Sum int64 `json:"sum"`
}

func node(parent chan<- int64, num, size int64) {
	if size == 1 {
		parent <- num
		return
	}
	children := make(chan int64)
	childSize := size / fanOut
	for i := int64(0); i < fanOut; i++ {
		go node(children, num+i*childSize, childSize)
	}
	var sum int64
	for i := 0; i < fanOut; i++ {
		sum += <-children
	}
	parent <- sum
}

func skynet(p params) (result, error) {
	if p.Leaves < 1 {
		return result{}, fmt.Errorf("leaves:%d: want a power of %d", p.Leaves, fanOut)
	}
	root := make(chan int64)
	go node(root, 0, p.Leaves)
	return result{Sum: <-root}, nil
}

func main() { protocol.Serve(skynet) }
