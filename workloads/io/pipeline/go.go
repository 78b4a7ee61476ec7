// io/pipeline in Go: the producer -> bounded queue -> K consumers pipeline as Go writes it, a
// buffered channel of Q records between the calling goroutine, which produces, and K consumer
// goroutines that `range` over it; closing the channel ends them, and a sync.WaitGroup waits
// for them to drain it. work:io waits with time.Sleep(1 ms) (a timer, the goroutine parked) so
// K consumers overlap their waits. The go row runs on one thread (GOMAXPROCS=1, beside corio,
// asio and libuv), go_mt on one thread per core (beside corio_mt, asio_mt and threads).
//
// A record is params.hpp's Record, 32 little-endian words (the id, then 31 splitmix64 words
// seeded by it), sent by value (256 bytes through the channel, as the C++ queues copy it), and
// the work is FNV-1a over its 256 bytes: the checksums are the ones check() expects. A send
// that finds the channel full is a stall: a select with a default tries first, then the
// producer blocks in the send. Each consumer keeps its tally in a local variable and stores it
// in its own slot when the channel is closed, so consumers on different cores share no line
// while they work. workers is GOMAXPROCS: the threads that ran the consumers' goroutines.
package main

import (
	"sync"
	"time"

	"corio/workloads/common/go/protocol"
)

type params struct {
	Consumers int64  `json:"consumers"`
	Capacity  int64  `json:"capacity"`
	Items     int64  `json:"items"`
	Work      string `json:"work"`
}

type result struct {
	Consumed        int64  `json:"consumed"`
	IDSum           uint64 `json:"id_sum"`
	Checksum        uint64 `json:"checksum"`
	QueueFullStalls int64  `json:"queue_full_stalls"`
	Workers         int64  `json:"workers"`
}

const ioWait = time.Millisecond // params.hpp's kIoWait

type record [32]uint64 // [0] is the id, [1:] the payload

func makeRecord(id uint64) record {
	var r record
	r[0] = id
	state := id
	for i := 1; i < len(r); i++ {
		state += 0x9e3779b97f4a7c15
		z := state
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		r[i] = z ^ (z >> 31)
	}
	return r
}

// FNV-1a over the record's 256 bytes, little-endian words byte by byte (params.hpp's).
func hashRecord(r *record) uint64 {
	hash := uint64(0xcbf29ce484222325)
	for _, word := range r {
		for b := 0; b < 8; b++ {
			hash ^= (word >> (8 * b)) & 0xff
			hash *= 0x100000001b3
		}
	}
	return hash
}

type tally struct {
	consumed int64
	idSum    uint64
	checksum uint64
}

func consume(records <-chan record, io bool, out *tally, done func()) {
	defer done()
	var t tally
	for r := range records {
		if io {
			time.Sleep(ioWait)
		}
		t.consumed++
		t.idSum += r[0]
		t.checksum += hashRecord(&r)
	}
	*out = t
}

func pipeline(p params) (result, error) {
	records := make(chan record, p.Capacity)
	tallies := make([]tally, p.Consumers)
	var consumers sync.WaitGroup
	consumers.Add(len(tallies))
	for i := range tallies {
		go consume(records, p.Work == "io", &tallies[i], consumers.Done)
	}

	var r result
	for id := int64(0); id < p.Items; id++ {
		item := makeRecord(uint64(id))
		select {
		case records <- item:
		default:
			r.QueueFullStalls++
			records <- item
		}
	}
	close(records)
	consumers.Wait()

	for _, t := range tallies {
		r.Consumed += t.consumed
		r.IDSum += t.idSum
		r.Checksum += t.checksum
	}
	r.Workers = int64(protocol.Threads)
	return r, nil
}

func main() { protocol.Serve(pipeline) }
