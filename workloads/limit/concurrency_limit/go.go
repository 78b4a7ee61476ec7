// limit/concurrency_limit in Go: R goroutines, each taking a slot of a buffered channel of
// capacity L first, Go's semaphore (Effective Go's "a buffered channel can be used like a
// semaphore"); blocked senders are queued first come, first served, like corio's Semaphore.
// Holding a slot, a goroutine takes a kept-alive connection from a channel of idle ones, or
// dials one when none is idle, writes the request, reads the response, puts the connection back
// and gives the slot up. Holding a slot is the only way to hold a connection, so at most L
// exist, and the R - L waiting goroutines cost a goroutine each and nothing else: corio's
// fan-out client (fanout_corio_fetch.cpp) and py_asyncio.py line for line. The go row runs on
// one thread (GOMAXPROCS=1, beside corio, asio and libuv), go_mt on one per core (beside
// corio_mt and asio_mt); the tally takes a mutex either way.
//
// HTTP is the same hand-rolled keep-alive framing as the Python clients (py_fanout.py), not
// net/http: every model sends the same bytes (params["request"], the C++ clients' head) and
// reads a status line, headers and a Content-Length body, so the models differ only in how
// they wait. Latency runs from just before the request is written to its whole response read;
// connecting is not in it, nor the wait for a slot. Times are CLOCK_MONOTONIC nanoseconds (the
// C++ steady_clock's clock), read once per call and advanced by Go's own monotonic clock.
//
// client_rss_bytes as run_fanout measures it: the peak RSS during the fan-out (VmHWM, reset by
// writing 5 to /proc/self/clear_refs) above the RSS at its start, after debug.FreeOSMemory()
// where the C++ calls malloc_trim (a GC, and freed memory handed back to the kernel).
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"corio/workloads/common/go/protocol"
)

type params struct {
	Limit              int64  `json:"limit"`
	Requests           int64  `json:"requests"`
	Port               int    `json:"port"`
	Request            string `json:"request"`
	ExpectedBody       string `json:"expected_body"`
	RejectionsExpected bool   `json:"rejections_expected"`
}

type result struct {
	OK             int64   `json:"ok"`
	Rejected       int64   `json:"rejected"`
	Failed         int64   `json:"failed"`
	FirstError     string  `json:"first_error"`
	Connections    int64   `json:"connections"`
	LatenciesNs    []int64 `json:"latencies_ns"`
	FirstRequestNs int64   `json:"first_request_ns"`
	LastResponseNs int64   `json:"last_response_ns"`
	ClientRSSBytes int64   `json:"client_rss_bytes"`
}

// tally counts outcomes (fanout::Tally) under its mutex.
type tally struct {
	sync.Mutex
	result
}

func (t *tally) fail(why string) {
	t.Lock()
	defer t.Unlock()
	t.Failed++
	if t.FirstError == "" {
		t.FirstError = why
	}
}

func (t *tally) answered(ok bool, sent, arrived int64) {
	t.Lock()
	defer t.Unlock()
	if ok {
		t.OK++
		t.LatenciesNs = append(t.LatenciesNs, arrived-sent)
	} else {
		t.Rejected++
	}
	if t.FirstRequestNs == 0 || sent < t.FirstRequestNs {
		t.FirstRequestNs = sent
	}
	if arrived > t.LastResponseNs {
		t.LastResponseNs = arrived
	}
}

type conn struct {
	net.Conn
	reader *bufio.Reader
}

// exchange writes one request and reads its response: status, body, keep-alive.
func (c *conn) exchange(request []byte) (int, []byte, bool, error) {
	if _, err := c.Write(request); err != nil {
		return 0, nil, false, err
	}
	status, length, keepAlive := 0, -1, true
	for first := true; ; first = false {
		line, err := c.reader.ReadString('\n')
		if err != nil {
			return 0, nil, false, err
		}
		line = strings.TrimRight(line, "\r\n")
		if first {
			parts := strings.SplitN(line, " ", 3)
			if len(parts) < 2 || !strings.HasPrefix(parts[0], "HTTP/1.") {
				return 0, nil, false, fmt.Errorf("malformed status line %.60q", line)
			}
			if status, err = strconv.Atoi(parts[1]); err != nil {
				return 0, nil, false, fmt.Errorf("malformed status line %.60q", line)
			}
			keepAlive = parts[0] == "HTTP/1.1"
			continue
		}
		if line == "" {
			break
		}
		name, value, _ := strings.Cut(line, ":")
		value = strings.TrimSpace(value)
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "content-length":
			if length, err = strconv.Atoi(value); err != nil || length < 0 {
				return 0, nil, false, fmt.Errorf("malformed Content-Length %q", value)
			}
		case "connection":
			keepAlive = strings.EqualFold(value, "keep-alive")
		}
	}
	if length < 0 {
		return 0, nil, false, fmt.Errorf("status %d without a Content-Length", status)
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(c.reader, body); err != nil {
		return 0, nil, false, err
	}
	return status, body, keepAlive, nil
}

func fetch(p *params, request []byte, permits chan struct{}, idle chan *conn, t *tally,
	clock *monotonic) {
	permits <- struct{}{} // waits while L requests hold a slot
	defer func() { <-permits }()

	var c *conn
	select {
	case c = <-idle:
	default:
		raw, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", p.Port))
		if err != nil {
			t.fail("connect: " + err.Error())
			return
		}
		c = &conn{raw, bufio.NewReader(raw)}
		t.Lock()
		t.Connections++
		t.Unlock()
	}
	sent := clock.now()
	status, body, keepAlive, err := c.exchange(request)
	if err != nil {
		t.fail("GET: " + err.Error())
		c.Close()
		return
	}
	arrived := clock.now()
	switch {
	case status == 200 && string(body) == p.ExpectedBody:
		t.answered(true, sent, arrived)
	case status == 503 && p.RejectionsExpected:
		t.answered(false, sent, arrived)
	default:
		shown := body
		if len(shown) > 40 {
			shown = shown[:40]
		}
		if status == 200 {
			t.fail(fmt.Sprintf("status 200 with body '%s', expected '%s'", shown, p.ExpectedBody))
		} else {
			t.fail(fmt.Sprintf("status %d (%s)", status, shown))
		}
		c.Close() // out of step: dropped, not pooled
		return
	}
	if keepAlive {
		idle <- c // never blocks: at most L connections exist
	} else {
		c.Close()
	}
}

func fanout(p params) (result, error) {
	clock := newMonotonic()
	request := []byte(p.Request)
	var t tally
	t.LatenciesNs = make([]int64, 0, p.Requests)

	rss, err := startRSSGrowth()
	if err != nil {
		return result{}, err
	}
	permits := make(chan struct{}, p.Limit)
	idle := make(chan *conn, p.Limit)
	var requests sync.WaitGroup
	requests.Add(int(p.Requests))
	for i := int64(0); i < p.Requests; i++ {
		go func() {
			defer requests.Done()
			fetch(&p, request, permits, idle, &t, clock)
		}()
	}
	requests.Wait()
	close(idle)
	for c := range idle {
		c.Close()
	}
	t.ClientRSSBytes = rss.grownBytes()
	return t.result, nil
}

// monotonic gives CLOCK_MONOTONIC nanoseconds: one clock_gettime per call, then Go's own
// monotonic clock (the same clock, read through the vDSO) for the time since.
type monotonic struct {
	baseNs int64
	base   time.Time
}

func newMonotonic() *monotonic {
	var ts syscall.Timespec
	const clockMonotonic = 1
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockMonotonic, uintptr(unsafe.Pointer(&ts)), 0)
	return &monotonic{baseNs: ts.Nano(), base: time.Now()}
}

func (m *monotonic) now() int64 { return m.baseNs + int64(time.Since(m.base)) }

// rssGrowth is run_fanout's client memory figure: VmHWM at the end above VmRSS at the start.
type rssGrowth struct{ baseline int64 }

func startRSSGrowth() (rssGrowth, error) {
	debug.FreeOSMemory()
	baseline := statusBytes("VmRSS")
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return rssGrowth{}, fmt.Errorf("cannot reset the peak RSS: %v", err)
	}
	return rssGrowth{baseline}, nil
}

func (r rssGrowth) grownBytes() int64 {
	if grown := statusBytes("VmHWM") - r.baseline; grown > 0 {
		return grown
	}
	return 0
}

// A "VmRSS:   12345 kB" line of /proc/self/status, in bytes.
func statusBytes(field string) int64 {
	status, _ := os.ReadFile("/proc/self/status")
	for _, line := range bytes.Split(status, []byte("\n")) {
		if prefix := []byte(field + ":"); bytes.HasPrefix(line, prefix) {
			kib, _ := strconv.ParseInt(string(bytes.Fields(line[len(prefix):])[0]), 10, 64)
			return kib * 1024
		}
	}
	return 0
}

func main() { protocol.Serve(fanout) }
