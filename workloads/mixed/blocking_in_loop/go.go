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
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

const (
	maxHeadBytes = 8 * 1024
	maxBodyBytes = 4 * 1024 // requests.cpp: these servers take GETs, not bodies
	sendBytes    = 16 * 1024
	// work.cpp's: a candidate near 100,000 takes about 2 us of divisions; the clock is read
	// every 4 candidates.
	candidatesPerClockRead = 4
)

var statusTexts = map[int]string{200: "OK", 400: "Bad Request", 404: "Not Found",
	413: "Content Too Large", 431: "Request Header Fields Too Large", 501: "Not Implemented",
	505: "HTTP Version Not Supported"}

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

// errGone: the client closed or reset the connection; nothing more to answer.
var errGone = errors.New("connection ended")

// parseRequestLine decides the route while the line's bytes are at hand (ReadSlice's bytes
// last until the next read): 0 and the request, or the status of a malformed line.
func parseRequestLine(line []byte) (int, request) {
	var rq request
	space := bytes.IndexByte(line, ' ')
	if space <= 0 {
		return 400, rq
	}
	method, rest := line[:space], line[space+1:]
	space = bytes.IndexByte(rest, ' ')
	if space <= 0 || bytes.IndexByte(rest[space+1:], ' ') >= 0 {
		return 400, rq
	}
	target, version := rest[:space], rest[space+1:]
	switch {
	case string(version) == "HTTP/1.1":
	case string(version) == "HTTP/1.0":
		rq.http10 = true
	case len(version) == 8 && bytes.HasPrefix(version, []byte("HTTP/")) && version[6] == '.':
		return 505, rq
	default:
		return 400, rq
	}
	path, _, _ := bytes.Cut(target, []byte{'?'})
	if string(method) == "GET" && string(path) == "/cheap" {
		rq.route = cheap
	} else if string(method) == "GET" && string(path) == "/expensive" {
		rq.route = expensive
	}
	return 0, rq
}

// readRequest reads one request (its head, then its body, discarded). errGone when the
// connection ended before a whole request.
func readRequest(r *bufio.Reader) (request, error) {
	line, err := r.ReadSlice('\n')
	for err == nil && len(line) == 2 && line[0] == '\r' { // empty lines before a request
		line, err = r.ReadSlice('\n')
	}
	var rq request
	hosts, bodyBytes := 0, 0
	sawConnection, close, keepAlive := false, false, false
	for headBytes, first := 0, true; ; first = false {
		if err == bufio.ErrBufferFull {
			return malformed(431), nil
		}
		if err != nil {
			return request{}, errGone
		}
		if headBytes += len(line); headBytes > maxHeadBytes {
			return malformed(431), nil
		}
		if len(line) < 2 || line[len(line)-2] != '\r' ||
			bytes.IndexByte(line[:len(line)-2], '\r') >= 0 {
			return malformed(400), nil
		}
		line = line[:len(line)-2]
		if first {
			var status int
			if status, rq = parseRequestLine(line); status != 0 {
				return malformed(status), nil
			}
		} else if len(line) == 0 {
			break // the end of the head
		} else {
			colon := bytes.IndexByte(line, ':')
			if colon <= 0 || len(bytes.TrimSpace(line[:colon])) != colon {
				return malformed(400), nil
			}
			name, value := line[:colon], bytes.Trim(line[colon+1:], " \t")
			switch {
			case bytes.EqualFold(name, []byte("host")):
				hosts++
			case bytes.EqualFold(name, []byte("connection")):
				// The last Connection line decides, as in py_requests.py.
				sawConnection, close, keepAlive = true, false, false
				for _, token := range bytes.Split(value, []byte{','}) {
					token = bytes.TrimSpace(token)
					close = close || bytes.EqualFold(token, []byte("close"))
					keepAlive = keepAlive || bytes.EqualFold(token, []byte("keep-alive"))
				}
			case bytes.EqualFold(name, []byte("content-length")):
				n, convErr := strconv.Atoi(string(value))
				if convErr != nil || n < 0 || value[0] == '+' {
					return malformed(400), nil
				}
				if n > maxBodyBytes {
					return malformed(413), nil
				}
				bodyBytes = n
			case bytes.EqualFold(name, []byte("transfer-encoding")):
				return malformed(501), nil
			}
		}
		line, err = r.ReadSlice('\n')
	}
	if hosts > 1 || (hosts == 0 && !rq.http10) {
		return malformed(400), nil
	}
	if _, err := r.Discard(bodyBytes); err != nil {
		return request{}, errGone
	}
	rq.keepAlive = !rq.http10
	if sawConnection {
		rq.keepAlive = (rq.http10 && keepAlive) || (!rq.http10 && !close)
	}
	return rq, nil
}

func appendResponse(out []byte, status int, body []byte, keepAlive, http10 bool) []byte {
	out = append(out, "HTTP/1.1 "...)
	out = strconv.AppendInt(out, int64(status), 10)
	out = append(out, ' ')
	out = append(out, statusTexts[status]...)
	out = append(out, "\r\nContent-Type: text/plain\r\nContent-Length: "...)
	out = strconv.AppendInt(out, int64(len(body)), 10)
	out = append(out, "\r\n"...)
	if !keepAlive {
		out = append(out, "Connection: close\r\n"...)
	}
	if keepAlive && http10 {
		out = append(out, "Connection: keep-alive\r\n"...)
	}
	out = append(out, "\r\n"...)
	return append(out, body...)
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
	defer conn.Close()
	r := bufio.NewReaderSize(conn, maxHeadBytes)
	w := bufio.NewWriterSize(conn, sendBytes)
	var out []byte
	for {
		rq, err := readRequest(r)
		if err != nil {
			w.Flush() // the answers to the requests before
			return
		}
		var result uint64
		if rq.status == 0 && rq.route == expensive {
			if w.Flush() != nil { // the answers already due go out before the work
				return
			}
			result = expensiveWork(blocking, duration)
		}
		out = appendAnswer(out[:0], rq, result)
		w.Write(out)
		// Flush once every request already received is answered: one write per burst.
		if !rq.keepAlive || r.Buffered() == 0 {
			if w.Flush() != nil || !rq.keepAlive {
				return
			}
		}
	}
}

func main() {
	port := flag.Int("port", 0, "the loopback port to listen on")
	threads := flag.Int("threads", 1, "1: GOMAXPROCS=1; 0: one thread per core (Go's default)")
	variant := flag.String("variant", "inline", "inline (the only variant: see the top)")
	work := flag.String("work", "cpu", "cpu or blocking")
	workMs := flag.Int("work-ms", 5, "the expensive request's work, 1 to 10000 ms")
	flag.Parse()
	refuse := func(reason string) {
		fmt.Fprintln(os.Stderr, "mixed/blocking_in_loop go:", reason)
		os.Exit(2)
	}
	if *variant != "inline" {
		refuse("--variant " + *variant + ": a Go server's only variant is inline (go.go says why)")
	}
	if *work != "cpu" && *work != "blocking" {
		refuse("--work " + *work + ": want cpu or blocking")
	}
	if *workMs < 1 || *workMs > 10000 { // work.cpp's bounds: longer outlives the client's timeout
		refuse("--work-ms must be 1 to 10000")
	}
	if *threads > 0 {
		runtime.GOMAXPROCS(*threads)
	}
	listener, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		refuse(err.Error())
	}
	duration := time.Duration(*workMs) * time.Millisecond
	for {
		conn, err := listener.Accept()
		if err != nil {
			// Out of descriptors (EMFILE) or a connection reset before it was accepted: wait
			// a moment and accept again, as net/http's Server does.
			time.Sleep(5 * time.Millisecond)
			continue
		}
		go serve(conn, *work == "blocking", duration)
	}
}
