// Package httpserver is the HTTP/1.1 the Go server models of io/http_plaintext and
// mixed/blocking_in_loop share: a connection's keep-alive loop (ServeConn), a request read from
// a bufio.Reader (its head parsed where ReadSlice leaves its bytes, then its body discarded) and
// a response written with the C++ servers' bytes. Each server keeps its routes, its body limit
// and what it does for one request (an Answer). The parser is minimal and correct for what the
// suite's clients send (its generator, wrk, curl), like the Python models' (py_http.py,
// py_requests.py).
package httpserver

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"strconv"
)

// MaxHeadBytes is the C++ servers' limit on a request head (431 above it). The reader a server
// passes to ReadRequest holds at least this many bytes (bufio.NewReaderSize).
const MaxHeadBytes = 8 * 1024

// StatusTexts is the reason phrase of every status these servers send.
var StatusTexts = map[int]string{200: "OK", 400: "Bad Request", 404: "Not Found",
	405: "Method Not Allowed", 413: "Content Too Large",
	431: "Request Header Fields Too Large", 501: "Not Implemented",
	505: "HTTP Version Not Supported"}

// ErrGone: the client closed or reset the connection; nothing more to answer.
var ErrGone = errors.New("connection ended")

// Answer reads one request from r (ReadRequest) and writes its response to w without flushing
// it. It returns whether the connection stays open after that response, or an error when the
// connection is to end at once: ErrGone from the read, or a failed w.Flush of its own (a server
// may flush the responses already due before slow work).
type Answer func(r *bufio.Reader, w *bufio.Writer) (keepAlive bool, err error)

// ServeConn runs one connection's keep-alive loop, the shape of fasthttp's serveConn: conn read
// through a bufio.Reader of MaxHeadBytes (what ReadRequest needs) and written through a
// bufio.Writer of sendBytes, answer called for one request after another. The responses go out
// with one write per burst: w is flushed once every request already received is answered (the
// reader holds no further byte), after a response that closes the connection, and when answer
// fails (the responses to the requests before; after a failed flush the writer keeps its error
// and writes nothing more). It returns, conn closed, when answer fails, a flush fails or a
// response closes the connection.
func ServeConn(conn net.Conn, sendBytes int, answer Answer) {
	defer conn.Close()
	r := bufio.NewReaderSize(conn, MaxHeadBytes)
	w := bufio.NewWriterSize(conn, sendBytes)
	for {
		keepAlive, err := answer(r, w)
		if err != nil {
			w.Flush()
			return
		}
		if !keepAlive || r.Buffered() == 0 {
			if w.Flush() != nil || !keepAlive {
				return
			}
		}
	}
}

// Request is what a request's head says that every server needs. Status != 0 for a malformed
// request: the server answers it with that status and closes the connection.
type Request struct {
	Status    int
	HTTP10    bool
	KeepAlive bool
}

// RequestLine is called with a well-formed request line's method, target and the target's
// path (the part before any '?') while their bytes are at hand (ReadSlice's bytes last until
// the next read), so that a server decides its route without a copy. It returns false for a
// request the server takes as malformed (400) once its head is read.
type RequestLine func(method, target, path []byte) bool

// ReadRequest reads one request from r: its head (at most MaxHeadBytes), then its body (at
// most maxBodyBytes), discarded. A malformed request is 400 (a bad request or header line, no
// Host in HTTP/1.1 or more than one, a bad Content-Length, requestLine's false), 413 (a body
// over maxBodyBytes), 431 (a head over MaxHeadBytes), 501 (Transfer-Encoding) or 505 (a
// version other than HTTP/1.0 or 1.1). ErrGone when the connection ended before a whole
// request.
func ReadRequest(r *bufio.Reader, maxBodyBytes int, requestLine RequestLine) (Request, error) {
	line, err := r.ReadSlice('\n')
	for err == nil && len(line) == 2 && line[0] == '\r' { // empty lines before a request
		line, err = r.ReadSlice('\n')
	}
	var rq Request
	lineOK := true
	hosts, bodyBytes := 0, 0
	sawConnection, close, keepAlive := false, false, false
	for headBytes, first := 0, true; ; first = false {
		if err == bufio.ErrBufferFull {
			return malformed(431), nil
		}
		if err != nil {
			return Request{}, ErrGone
		}
		if headBytes += len(line); headBytes > MaxHeadBytes {
			return malformed(431), nil
		}
		if len(line) < 2 || line[len(line)-2] != '\r' ||
			bytes.IndexByte(line[:len(line)-2], '\r') >= 0 {
			return malformed(400), nil
		}
		line = line[:len(line)-2]
		if first {
			var status int
			if status, rq.HTTP10, lineOK = parseRequestLine(line, requestLine); status != 0 {
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
				// The last Connection line decides, as in py_http.py and py_requests.py.
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
	if hosts > 1 || (hosts == 0 && !rq.HTTP10) || !lineOK {
		return malformed(400), nil
	}
	if _, err := r.Discard(bodyBytes); err != nil {
		return Request{}, ErrGone
	}
	rq.KeepAlive = !rq.HTTP10
	if sawConnection {
		rq.KeepAlive = (rq.HTTP10 && keepAlive) || (!rq.HTTP10 && !close)
	}
	return rq, nil
}

// parseRequestLine: 0, whether the request is HTTP/1.0 and requestLine's answer, or the
// status of a malformed line.
func parseRequestLine(line []byte, requestLine RequestLine) (status int, http10, ok bool) {
	space := bytes.IndexByte(line, ' ')
	if space <= 0 {
		return 400, false, false
	}
	method, rest := line[:space], line[space+1:]
	space = bytes.IndexByte(rest, ' ')
	if space <= 0 || bytes.IndexByte(rest[space+1:], ' ') >= 0 {
		return 400, false, false
	}
	target, version := rest[:space], rest[space+1:]
	switch {
	case string(version) == "HTTP/1.1":
	case string(version) == "HTTP/1.0":
		http10 = true
	case len(version) == 8 && bytes.HasPrefix(version, []byte("HTTP/")) && version[6] == '.':
		return 505, false, false
	default:
		return 400, false, false
	}
	path, _, _ := bytes.Cut(target, []byte{'?'})
	return 0, http10, requestLine(method, target, path)
}

func malformed(status int) Request { return Request{Status: status} }

// Response is a response as the C++ servers write it (corio::net::http's order of lines).
type Response struct {
	Status    int
	Body      []byte
	KeepAlive bool
	HTTP10    bool // the request was HTTP/1.0: a keep-alive answer says "Connection: keep-alive"
	HeadOnly  bool // HEAD: the head says the body's length, the body is not sent
	// Lines every response of the server carries, after "Connection: close".
	CommonHeaders string
	// Lines of this response alone, after "Connection: keep-alive".
	ExtraHeaders string
}

// AppendResponse appends r to out: the status line, Content-Type text/plain, Content-Length,
// "Connection: close" when closing, the common lines, "Connection: keep-alive" for an HTTP/1.0
// keep-alive request, the extra lines, the blank line and the body.
func AppendResponse(out []byte, r *Response) []byte {
	out = append(out, "HTTP/1.1 "...)
	out = strconv.AppendInt(out, int64(r.Status), 10)
	out = append(out, ' ')
	out = append(out, StatusTexts[r.Status]...)
	out = append(out, "\r\nContent-Type: text/plain\r\nContent-Length: "...)
	out = strconv.AppendInt(out, int64(len(r.Body)), 10)
	out = append(out, "\r\n"...)
	if !r.KeepAlive {
		out = append(out, "Connection: close\r\n"...)
	}
	out = append(out, r.CommonHeaders...)
	if r.KeepAlive && r.HTTP10 {
		out = append(out, "Connection: keep-alive\r\n"...)
	}
	out = append(out, r.ExtraHeaders...)
	out = append(out, "\r\n"...)
	if !r.HeadOnly {
		out = append(out, r.Body...)
	}
	return out
}
