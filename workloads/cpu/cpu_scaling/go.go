// cpu/cpu_scaling in Go: a goroutine per part, each storing its checksum in its own slot, and a
// sync.WaitGroup: the plain Go program for W pieces of CPU work. Go's scheduler runs the
// goroutines on GOMAXPROCS threads, so the go row (GOMAXPROCS=1, beside corio) runs the parts
// one after another on one thread (concurrency without parallelism, speed-up 1.0), and go_mt
// (GOMAXPROCS = the core count, beside corio_mt, thread_pool and asio_mt) spreads them over
// the cores: a pool of one thread per core, as Go programs have by default. Past the cores W
// only adds goroutines (a few hundred nanoseconds each), not threads.
//
// The kernels are kernels.hpp's, bit for bit: recursive fib, FNV-1a over the same 256 buffers
// of 4 KiB (splitmix64 bytes from the same seed, built when the program starts, before it says
// ready), and the same Mandelbrot image, its float64 products each rounded on its own (an
// explicit float64() forbids Go's compiler from fusing a multiply and an add, which x86-64
// builds of the C++ never do), so the checksums are the ones check() expects.
//
// os_workers: GOMAXPROCS, the threads that ran goroutines (one per core: the pools' figure).
// cpu_time_ns: getrusage(RUSAGE_SELF) user + system time around the call, every thread of the
// process (the C++ models' figure, measured around each of their calls).
package main

import (
	"fmt"
	"sync"
	"syscall"

	"corio/workloads/common/go/protocol"
)

type work struct {
	Units               int64  `json:"units"`
	FibN                uint32 `json:"fib_n"`
	HashRounds          int64  `json:"hash_rounds"`
	MandelWidth         int64  `json:"mandel_width"`
	MandelMaxIterations int64  `json:"mandel_max_iterations"`
}

type params struct {
	Kernel  string `json:"kernel"`
	Workers int64  `json:"workers"`
	Work    work   `json:"work"`
}

type result struct {
	Checksum  uint64 `json:"checksum"`
	PartsDone int64  `json:"parts_done"`
	OSWorkers int64  `json:"os_workers"`
	CPUTimeNs int64  `json:"cpu_time_ns"`
}

// --- fib: recursive Fibonacci, a function call per node ---

func fib(n uint32) uint64 {
	if n < 2 {
		return uint64(n)
	}
	return fib(n-1) + fib(n-2)
}

// --- hash: 64-bit FNV-1a, one byte at a time ---

const (
	fnv1aOffsetBasis = 0xcbf29ce484222325
	fnv1aPrime       = 0x100000001b3
	hashBufferCount  = 256
	hashBufferBytes  = 4096
)

func fnv1a(bytes []byte, hash uint64) uint64 {
	for _, b := range bytes {
		hash ^= uint64(b)
		hash *= fnv1aPrime
	}
	return hash
}

// kernels::hash_buffers(): 1 MiB of splitmix64 bytes from a fixed seed, read-only once built.
var hashBuffers = func() []byte {
	bytes := make([]byte, hashBufferCount*hashBufferBytes)
	state := uint64(0x9e3779b97f4a7c15)
	for i := range bytes {
		state += 0x9e3779b97f4a7c15
		z := state
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		bytes[i] = byte(z ^ (z >> 31))
	}
	return bytes
}()

// --- mandelbrot: escape-time iteration counts of [-2.2, 0.8] x [-1.2, 1.2] ---

func mandelbrotIterations(cx, cy float64, maxIterations int64) int64 {
	x, y := 0.0, 0.0
	i := int64(0)
	for i < maxIterations && float64(x*x)+float64(y*y) <= 4.0 {
		nextX := float64(x*x) - float64(y*y) + cx
		y = float64(2.0*x*y) + cy
		x = nextX
		i++
	}
	return i
}

// Variables, not constants: Go's constant arithmetic is exact, the C++ rounds each step.
var xMin, xMax, yMin, yMax = -2.2, 0.8, -1.2, 1.2

func mandelbrotRow(row, rows int64, w *work) uint64 {
	cy := yMin + float64((yMax-yMin)*(float64(row)+0.5))/float64(rows)
	sum := uint64(0)
	for column := int64(0); column < w.MandelWidth; column++ {
		cx := xMin + float64((xMax-xMin)*(float64(column)+0.5))/float64(w.MandelWidth)
		sum += uint64(mandelbrotIterations(cx, cy, w.MandelMaxIterations))
	}
	return sum
}

// runPart is kernels::run_part: part `part` of `parts`, its units' checksum (sums wrap).
func runPart(kernel string, w *work, part, parts int64) uint64 {
	perPart := w.Units / parts
	checksum := uint64(0)
	switch kernel {
	case "fib":
		for unit := part * perPart; unit < (part+1)*perPart; unit++ {
			checksum += fib(w.FibN)
		}
	case "hash":
		for unit := part * perPart; unit < (part+1)*perPart; unit++ {
			index := unit % hashBufferCount
			buffer := hashBuffers[index*hashBufferBytes : (index+1)*hashBufferBytes]
			hash := fnv1aOffsetBasis ^ uint64(unit)
			for round := int64(0); round < w.HashRounds; round++ {
				hash = fnv1a(buffer, hash)
			}
			checksum += hash
		}
	case "mandelbrot":
		for row := part; row < w.Units; row += parts {
			checksum += uint64(row+1) * mandelbrotRow(row, w.Units, w)
		}
	}
	return checksum
}

func allParts(p params) (result, error) {
	switch p.Kernel {
	case "fib", "hash", "mandelbrot":
	default:
		return result{}, fmt.Errorf("unknown kernel %q: fib, hash or mandelbrot", p.Kernel)
	}
	cpuStart := cpuTimeNs()
	checksums := make([]uint64, p.Workers)
	var parts sync.WaitGroup
	parts.Add(int(p.Workers))
	for part := int64(0); part < p.Workers; part++ {
		go func(part int64) {
			defer parts.Done()
			checksums[part] = runPart(p.Kernel, &p.Work, part, p.Workers)
		}(part)
	}
	parts.Wait()

	r := result{OSWorkers: int64(protocol.Threads)}
	for _, checksum := range checksums {
		r.Checksum += checksum
		r.PartsDone++
	}
	r.CPUTimeNs = cpuTimeNs() - cpuStart
	return r, nil
}

// User + system CPU time of every thread of this process so far.
func cpuTimeNs() int64 {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return 0
	}
	return usage.Utime.Nano() + usage.Stime.Nano()
}

func main() { protocol.Serve(allParts) }
