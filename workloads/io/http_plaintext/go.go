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
//
// The connection's loop (one flush per burst), the request's reading and the response's lines
// are mixed/blocking_in_loop's too (common/go/httpserver); the flags, the listener and the
// accept loop every Go server's (common/go/server).
package main

import (
	"bufio"
	"net"
	"sync/atomic"
	"time"

	"corio/workloads/common/go/httpserver"
	"corio/workloads/common/go/server"
)

const (
	maxBodyBytes = 1024 * 1024
	sendBytes    = 16 * 1024
)

var (
	hello          = []byte("Hello, World!")
	statusTexts    = httpserver.StatusTexts
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
	response := httpserver.Response{Status: r.status, Body: r.body, KeepAlive: r.keepAlive,
		HTTP10: r.http10, HeadOnly: r.headOnly, CommonHeaders: s.date}
	if r.allow {
		response.ExtraHeaders = "Allow: GET, HEAD\r\n"
	}
	return httpserver.AppendResponse(out, &response)
}

func malformed(status int) reply {
	return reply{status: status, body: []byte(statusTexts[status])}
}

// What a request line asks, decided while its bytes are at hand (ReadSlice's bytes last until
// the next read), so that nothing is copied.
type requestLine struct {
	method    string // one of rfc9110Methods, or "" for a method RFC 9110 does not define
	star      bool   // the target is "*"
	plaintext bool   // the target's path is /plaintext
}

// readRequest reads one request from r (its head, then its body, discarded) and returns its
// reply; a malformed request's reply has keepAlive false. httpserver.ErrGone when the
// connection ended before a whole request.
func readRequest(r *bufio.Reader) (reply, error) {
	var rl requestLine
	rq, err := httpserver.ReadRequest(r, maxBodyBytes, func(method, target, path []byte) bool {
		for _, known := range rfc9110Methods {
			if string(method) == known {
				rl.method = known
			}
		}
		rl.star = string(target) == "*"
		rl.plaintext = string(path) == "/plaintext"
		return !rl.star || rl.method == "OPTIONS" // "*" is OPTIONS' alone
	})
	if err != nil {
		return reply{}, err
	}
	if rq.Status != 0 {
		return malformed(rq.Status), nil
	}
	rp := reply{http10: rq.HTTP10, headOnly: rl.method == "HEAD", keepAlive: rq.KeepAlive}
	// The order of workloads/common/http_routes.cpp's route().
	switch {
	case rl.method == "" || rl.method == "CONNECT":
		rp.status, rp.body = 501, []byte(statusTexts[501])
	case rl.star:
		rp.status, rp.allow = 200, true
	case !rl.plaintext:
		rp.status, rp.body = 404, []byte(statusTexts[404])
	case rl.method == "GET" || rl.method == "HEAD":
		rp.status, rp.body = 200, hello
	default:
		rp.status, rp.body, rp.allow = 405, []byte(statusTexts[405]), true
	}
	return rp, nil
}

// serve answers conn's requests in order until the client goes or a reply closes it.
func serve(conn net.Conn) {
	var out []byte
	httpserver.ServeConn(conn, sendBytes, func(r *bufio.Reader, w *bufio.Writer) (bool, error) {
		rq, err := readRequest(r)
		if err != nil {
			return false, err
		}
		s := now()
		if rq.status == 200 && rq.keepAlive && !rq.http10 && !rq.headOnly && !rq.allow {
			w.Write(s.hello)
		} else {
			out = appendReply(out[:0], s, rq)
			w.Write(out)
		}
		return rq.keepAlive, nil
	})
}

func main() { server.Run("io/http_plaintext", serve) }
