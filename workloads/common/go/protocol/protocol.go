// Package protocol is the Go side of the suite's model protocol (harness/external_model.hpp has
// the whole of it; workloads/common/python/model_protocol.py is the Python side).
//
// A Go model is a function from one parameter point (the workload's Params as JSON) to a result
// (its Result as JSON). Serve runs it for corio-bench: it says ready, then for each request line
// runs the work, timing only the work, and answers one JSON line:
//
//	-> {"params": {...}}
//	<- {"result": {...}, "seconds": 0.0123}     or     {"error": "..."}
//
// The program takes one flag, --threads=N: 1 runs every goroutine on one thread (GOMAXPROCS=1,
// the rows beside corio, asio and libuv), 0 keeps Go's default of one per core (the _mt rows).
package protocol

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"time"
)

type request[P any] struct {
	Params *P `json:"params"`
}

type reply[R any] struct {
	Result  *R      `json:"result,omitempty"`
	Seconds float64 `json:"seconds"`
}

type failure struct {
	Error string `json:"error"`
}

// Threads is the --threads flag's value once Serve has parsed it (1 or GOMAXPROCS).
var Threads int

// Serve answers corio-bench's requests with work until stdin ends, then returns.
func Serve[P any, R any](work func(P) (R, error)) {
	threads := flag.Int("threads", 0, "1: GOMAXPROCS=1; 0: one thread per core (Go's default)")
	flag.Parse()
	if *threads < 0 {
		Refuse(fmt.Sprintf("--threads=%d: want 0 (every core) or a positive count", *threads))
	}
	if *threads > 0 {
		runtime.GOMAXPROCS(*threads)
	}
	Threads = runtime.GOMAXPROCS(0)

	out := bufio.NewWriter(os.Stdout)
	say(out, map[string]bool{"ready": true})
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for in.Scan() {
		var req request[P]
		if err := json.Unmarshal(in.Bytes(), &req); err != nil || req.Params == nil {
			say(out, failure{fmt.Sprintf("malformed request %.200q: %v", in.Text(), err)})
			continue
		}
		start := time.Now()
		result, err := work(*req.Params)
		seconds := time.Since(start).Seconds()
		if err != nil {
			say(out, failure{err.Error()})
			continue
		}
		say(out, reply[R]{Result: &result, Seconds: seconds})
	}
}

// Refuse tells corio-bench this model cannot run at all (instead of the ready line), and exits.
func Refuse(reason string) {
	out := bufio.NewWriter(os.Stdout)
	say(out, failure{reason})
	os.Exit(2)
}

func say(out *bufio.Writer, message any) {
	line, err := json.Marshal(message)
	if err != nil {
		line, _ = json.Marshal(failure{fmt.Sprintf("cannot encode the reply: %v", err)})
	}
	out.Write(line)
	out.WriteByte('\n')
	out.Flush()
}
