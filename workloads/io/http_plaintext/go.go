// io/http_plaintext's go server: a goroutine per connection running a hand-rolled HTTP/1.1
// keep-alive loop, the shape of fasthttp's serveConn (a Go expert's fast HTTP server):
// net.Listen, Accept in a loop, `go serve(conn)`; in each goroutine a bufio.Reader
// hands out the request's lines where they lie (ReadSlice, no copy), the reply goes into a
// bufio.Writer, and the writer is flushed when the reader holds no further request, so that
// pipelined requests are answered with one write, in order. net/http would also pass the
// workload's checks, but it allocates a Request, a header map and a ResponseWriter per
// request and spends most of its time there: that measures net/http, not goroutines.
//
//	go --port PORT --threads=1|0     (corio-bench starts it: workloads/common/built_server.hpp)
//
// --threads=1 is the go row (GOMAXPROCS=1: one thread runs Go code, beside corio, asio,
// libuv); --threads=0 keeps Go's default of one per core (go_mt, beside corio_mt, asio_mt).
//
// The replies are the C++ models' bytes (http_session.hpp, py_http.py: the suite's routes in
// workloads/common/http_routes.hpp): GET or HEAD /plaintext -> 200 text/plain "Hello,
// World!"; another method of RFC 9110 on /plaintext -> 405 with "Allow: GET, HEAD"; a method
// RFC 9110 does not define, or CONNECT -> 501; OPTIONS * -> 200 with Allow; another target ->
// 404; malformed -> 400 (a bad request or header line, no Host in HTTP/1.1, a bad
// Content-Length), 431 (a head over 8 KiB), 501 (Transfer-Encoding), 505 (a version other
// than HTTP/1.0 or 1.1), 413 (a body over 1 MiB), then the connection closes. Each has
// Content-Type, Content-Length, "Connection: close" when closing, "Server: bench" and Date
// (formatted once a second), and "Connection: keep-alive" for an HTTP/1.0 keep-alive request,
// in corio::net::http's order. The parser is minimal and correct for what this workload's
// clients send (the suite's generator, wrk, curl), like py_http.py's.
//
// Go sets TCP_NODELAY on every TCP connection by default, and since Go 1.19 raises its soft
// descriptor limit to the hard one, as the C++ servers do. It listens on 127.0.0.1:PORT until
// SIGTERM ends it.
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
	"sync/atomic"
	"time"
)

const (
	maxHeadBytes = 8 * 1024
	maxBodyBytes = 1024 * 1024
	sendBytes    = 16 * 1024
)

var (
	hello       = []byte("Hello, World!")
	statusTexts = map[int]string{200: "OK", 400: "Bad Request", 404: "Not Found",
		405: "Method Not Allowed", 413: "Content Too Large",
		431: "Request Header Fields Too Large", 501: "Not Implemented",
		505: "HTTP Version Not Supported"}
	rfc9110Methods = []string{"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
		"TRACE", "PATCH"}
)

// The Date line of the current second and the reply nearly every request gets (GET
// /plaintext, HTTP/1.1, keep-alive), made again when the second changes and shared by every
// connection (an atomic pointer: go_mt's threads read it at once).
type second struct {
	unix  int64
	date  string // "Server: bench\r\nDate: <IMF-fixdate>\r\n"
	hello []byte // the whole common reply
}

var current atomic.Pointer[second]

func now() *second {
	unix := time.Now().Unix()
	if s := current.Load(); s != nil && s.unix == unix {
		return s
	}
	s := &second{unix: unix,
		date: "Server: bench\r\nDate: " +
			time.Unix(unix, 0).UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT") + "\r\n"}
	s.hello = appendReply(nil, s, reply{status: 200, body: hello, keepAlive: true})
	current.Store(s)
	return s
}

// What a request is answered with.
type reply struct {
	status    int
	body      []byte
	keepAlive bool
	http10    bool
	headOnly  bool
	allow     bool
}

func appendReply(out []byte, s *second, r reply) []byte {
	out = append(out, "HTTP/1.1 "...)
	out = strconv.AppendInt(out, int64(r.status), 10)
	out = append(out, ' ')
	out = append(out, statusTexts[r.status]...)
	out = append(out, "\r\nContent-Type: text/plain\r\nContent-Length: "...)
	out = strconv.AppendInt(out, int64(len(r.body)), 10)
	out = append(out, "\r\n"...)
	if !r.keepAlive {
		out = append(out, "Connection: close\r\n"...)
	}
	out = append(out, s.date...)
	if r.keepAlive && r.http10 {
		out = append(out, "Connection: keep-alive\r\n"...)
	}
	if r.allow {
		out = append(out, "Allow: GET, HEAD\r\n"...)
	}
	out = append(out, "\r\n"...)
	if !r.headOnly {
		out = append(out, r.body...)
	}
	return out
}

func malformed(status int) reply {
	return reply{status: status, body: []byte(statusTexts[status])}
}

// errGone: the client closed or reset the connection; nothing more to answer.
var errGone = errors.New("connection ended")

// What a request line asks, decided while its bytes are at hand (ReadSlice's bytes last until
// the next read), so that nothing is copied.
type requestLine struct {
	method    string // one of rfc9110Methods, or "" for a method RFC 9110 does not define
	star      bool   // the target is "*"
	plaintext bool   // the target's path is /plaintext
	http10    bool
}

// parseRequestLine: 0 and the line's meaning, or the status of a malformed line.
func parseRequestLine(line []byte) (int, requestLine) {
	var rl requestLine
	space := bytes.IndexByte(line, ' ')
	if space <= 0 {
		return 400, rl
	}
	method, rest := line[:space], line[space+1:]
	space = bytes.IndexByte(rest, ' ')
	if space <= 0 || bytes.IndexByte(rest[space+1:], ' ') >= 0 {
		return 400, rl
	}
	target, version := rest[:space], rest[space+1:]
	switch {
	case string(version) == "HTTP/1.1":
	case string(version) == "HTTP/1.0":
		rl.http10 = true
	case len(version) == 8 && bytes.HasPrefix(version, []byte("HTTP/")) && version[6] == '.':
		return 505, rl
	default:
		return 400, rl
	}
	for _, known := range rfc9110Methods {
		if string(method) == known {
			rl.method = known
		}
	}
	path, _, _ := bytes.Cut(target, []byte{'?'})
	rl.star = string(target) == "*"
	rl.plaintext = string(path) == "/plaintext"
	return 0, rl
}

// readRequest reads one request from r (its head, then its body, discarded) and returns its
// reply; a malformed request's reply has keepAlive false. errGone when the connection ended
// before a whole request.
func readRequest(r *bufio.Reader) (reply, error) {
	line, err := r.ReadSlice('\n')
	for err == nil && len(line) == 2 && line[0] == '\r' { // empty lines before a request
		line, err = r.ReadSlice('\n')
	}
	var rl requestLine
	hosts, bodyBytes := 0, 0
	sawConnection, close, keepAlive := false, false, false
	for headBytes, first := 0, true; ; first = false {
		if err == bufio.ErrBufferFull {
			return malformed(431), nil
		}
		if err != nil {
			return reply{}, errGone
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
			if status, rl = parseRequestLine(line); status != 0 {
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
				// The last Connection line decides, as in py_http.py.
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
	if hosts > 1 || (hosts == 0 && !rl.http10) || (rl.star && rl.method != "OPTIONS") {
		return malformed(400), nil
	}
	if _, err := r.Discard(bodyBytes); err != nil {
		return reply{}, errGone
	}
	rq := reply{http10: rl.http10, headOnly: rl.method == "HEAD", keepAlive: !rl.http10}
	if sawConnection {
		rq.keepAlive = (rl.http10 && keepAlive) || (!rl.http10 && !close)
	}
	// The order of workloads/common/http_routes.cpp's route().
	switch {
	case rl.method == "" || rl.method == "CONNECT":
		rq.status, rq.body = 501, []byte(statusTexts[501])
	case rl.star:
		rq.status, rq.allow = 200, true
	case !rl.plaintext:
		rq.status, rq.body = 404, []byte(statusTexts[404])
	case rl.method == "GET" || rl.method == "HEAD":
		rq.status, rq.body = 200, hello
	default:
		rq.status, rq.body, rq.allow = 405, []byte(statusTexts[405]), true
	}
	return rq, nil
}

// serve answers conn's requests in order until the client goes or a reply closes it.
func serve(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReaderSize(conn, maxHeadBytes)
	w := bufio.NewWriterSize(conn, sendBytes)
	var out []byte
	for {
		rq, err := readRequest(r)
		if err != nil {
			w.Flush() // the replies to the requests before
			return
		}
		s := now()
		if rq.status == 200 && rq.keepAlive && !rq.http10 && !rq.headOnly && !rq.allow {
			w.Write(s.hello)
		} else {
			out = appendReply(out[:0], s, rq)
			w.Write(out)
		}
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
	flag.Parse()
	if *threads > 0 {
		runtime.GOMAXPROCS(*threads)
	}
	listener, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		fmt.Fprintln(os.Stderr, "io/http_plaintext go:", err)
		os.Exit(2)
	}
	for {
		conn, err := listener.Accept()
		if err != nil {
			// Out of descriptors (EMFILE) or a connection reset before it was accepted: wait
			// a moment and accept again, as net/http's Server does.
			time.Sleep(5 * time.Millisecond)
			continue
		}
		go serve(conn)
	}
}
