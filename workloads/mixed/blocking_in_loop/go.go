// mixed/blocking_in_loop's go servers: a goroutine per connection, the work called right in
// the goroutine that reads the request, as a Go programmer writes it. Go has no to_thread and
// no loop to keep free: every goroutine looks like a thread, and the scheduler decides what
// runs while one of them works. So the Go rows have one variant, inline, and the question is
// what Go's scheduler does with it:
//
//	go     GOMAXPROCS=1: one thread runs Go code, beside corio, asio and libuv.
//	       work:cpu: a goroutine computing holds the only P. Go preempts a goroutine that has
//	       run for 10 ms (sysmon's forcePreemptNS; asynchronously, by a signal, since Go 1.14),
//	       so 5 ms of work runs to its end and the cheap requests wait for it, as on an event
//	       loop.
//	       work:blocking: a blocking system call (syscall.Nanosleep, the C++ models' nanosleep)
//	       takes its thread, not the P: the runtime hands the P to another thread (sysmon
//	       retakes it after 20 us to 10 ms in the call) and the other goroutines go on. What
//	       to_thread does by hand, Go does for every system call.
//	go_mt  GOMAXPROCS = the core count (Go's default), where a Go programmer expects the
//	       other goroutines to run on the other P meanwhile. Measured, they do not (README.md):
//	       no thread waits in the netpoller while the one that took the expensive request
//	       works, so the cheap requests' readiness is seen when the work ends.
//
// A `go` statement plus a channel around the work (an "offload" variant) would change nothing:
// at GOMAXPROCS=1 the new goroutine needs the same P, and at the default the scheduler already
// spreads goroutines over the Ps. time.Sleep would be the idiomatic wait, but it parks the
// goroutine (no blocking call at all), which is not what work:blocking stands for.
//
//	go --port PORT --threads=1|0 --variant inline --work cpu|blocking --work-ms N
//	                                 (corio-bench starts it: workloads/common/built_server.hpp)
//
// HTTP/1.1 keep-alive, pipelined requests answered in order, the answers already due flushed
// before an expensive request's work starts: GET /cheap -> 200 "ok"; GET /expensive -> 200
// "ok <the work's result>"; anything else -> 404 "Not Found"; malformed -> 400 (a bad request
// or header line, no Host in HTTP/1.1, a bad Content-Length), 431 (a head over 8 KiB), 413 (a
// body over 4 KiB), 501 (Transfer-Encoding), 505 (a version other than HTTP/1.0 or 1.1), then
// the connection closes. The C++ servers' bytes (requests.cpp's append_answer; py_requests.py):
// Content-Type text/plain, Content-Length, "Connection: close" when closing, "Connection:
// keep-alive" for an HTTP/1.0 keep-alive request. It listens on 127.0.0.1:PORT until SIGTERM.
//
// The connection's loop (one flush per burst), the request's reading and the response's lines
// are io/http_plaintext's too (common/go/httpserver); the flags, the listener and the accept
// loop every Go server's (common/go/server).
package main

import (
	"bufio"
	"flag"
	"net"
	"strconv"
	"syscall"
	"time"

	"corio/workloads/common/go/httpserver"
	"corio/workloads/common/go/server"
)

const (
	maxBodyBytes = 4 * 1024 // requests.cpp: these servers take GETs, not bodies
	sendBytes    = 16 * 1024
	// work.cpp's: a candidate near 100,000 takes about 2 us of divisions; the clock is read
	// every 4 candidates.
	candidatesPerClockRead = 4
)

var statusTexts = httpserver.StatusTexts

type route int

const (
	notFound route = iota
	cheap
	expensive
)

// One request: where it goes and how to answer; status != 0 for a malformed one.
type request struct {
	route     route
	keepAlive bool
	http10    bool
	status    int
}

func malformed(status int) request { return request{status: status} }

// readRequest reads one request (its head, then its body, discarded), its route decided while
// the request line's bytes are at hand. httpserver.ErrGone when the connection ended before a
// whole request.
func readRequest(r *bufio.Reader) (request, error) {
	var rt route
	rq, err := httpserver.ReadRequest(r, maxBodyBytes, func(method, target, path []byte) bool {
		if string(method) == "GET" && string(path) == "/cheap" {
			rt = cheap
		} else if string(method) == "GET" && string(path) == "/expensive" {
			rt = expensive
		}
		return true
	})
	if err != nil {
		return request{}, err
	}
	if rq.Status != 0 {
		return malformed(rq.Status), nil
	}
	return request{route: rt, keepAlive: rq.KeepAlive, http10: rq.HTTP10}, nil
}

func appendResponse(out []byte, status int, body []byte, keepAlive, http10 bool) []byte {
	response := httpserver.Response{Status: status, Body: body, KeepAlive: keepAlive,
		HTTP10: http10}
	return httpserver.AppendResponse(out, &response)
}

// appendAnswer appends rq's response; workResult goes into an expensive request's body.
func appendAnswer(out []byte, rq request, workResult uint64) []byte {
	switch {
	case rq.status != 0:
		return appendResponse(out, rq.status, []byte(statusTexts[rq.status]), false, false)
	case rq.route == cheap:
		return appendResponse(out, 200, []byte("ok"), rq.keepAlive, rq.http10)
	case rq.route == expensive:
		body := strconv.AppendUint([]byte("ok "), workResult, 10)
		return appendResponse(out, 200, body, rq.keepAlive, rq.http10)
	}
	return appendResponse(out, 404, []byte("Not Found"), rq.keepAlive, rq.http10)
}

func isOddPrime(n uint64) bool {
	for divisor := uint64(3); divisor*divisor <= n; divisor += 2 {
		if n%divisor == 0 {
			return false
		}
	}
	return true
}

// expensiveWork is work.cpp's expensive_work: cpu counts primes by trial division (3, 5, 7,
// ...) until `duration` of wall time (time.Now's monotonic clock, CLOCK_MONOTONIC as the C++
// steady_clock) has passed, reading the clock every 4 candidates, and returns the count (2
// counted); blocking is a nanosleep system call for `duration` (resumed after a signal).
func expensiveWork(blocking bool, duration time.Duration) uint64 {
	if blocking {
		left := syscall.NsecToTimespec(int64(duration))
		for syscall.Nanosleep(&left, &left) == syscall.EINTR {
		}
		return 0
	}
	end := time.Now().Add(duration)
	primes := uint64(1) // 2
	candidate := uint64(3)
	for {
		for i := 0; i < candidatesPerClockRead; i, candidate = i+1, candidate+2 {
			if isOddPrime(candidate) {
				primes++
			}
		}
		if !time.Now().Before(end) {
			return primes
		}
	}
}

// serve answers conn's requests in order until the client goes or an answer closes it.
func serve(conn net.Conn, blocking bool, duration time.Duration) {
	var out []byte
	httpserver.ServeConn(conn, sendBytes, func(r *bufio.Reader, w *bufio.Writer) (bool, error) {
		rq, err := readRequest(r)
		if err != nil {
			return false, err
		}
		var result uint64
		if rq.status == 0 && rq.route == expensive {
			// The answers already due go out before the work starts.
			if err := w.Flush(); err != nil {
				return false, err
			}
			result = expensiveWork(blocking, duration)
		}
		out = appendAnswer(out[:0], rq, result)
		w.Write(out)
		return rq.keepAlive, nil
	})
}

func main() {
	const name = "mixed/blocking_in_loop"
	variant := flag.String("variant", "inline", "inline (the only variant: see the top)")
	work := flag.String("work", "cpu", "cpu or blocking")
	workMs := flag.Int("work-ms", 5, "the expensive request's work, 1 to 10000 ms")
	flag.Parse()
	if *variant != "inline" {
		server.Refuse(name, "--variant "+*variant+
			": a Go server's only variant is inline (go.go says why)")
	}
	if *work != "cpu" && *work != "blocking" {
		server.Refuse(name, "--work "+*work+": want cpu or blocking")
	}
	if *workMs < 1 || *workMs > 10000 { // work.cpp's bounds: longer outlives the client's timeout
		server.Refuse(name, "--work-ms must be 1 to 10000")
	}
	blocking, duration := *work == "blocking", time.Duration(*workMs)*time.Millisecond
	server.Run(name, func(conn net.Conn) { serve(conn, blocking, duration) })
}
