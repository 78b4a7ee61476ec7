// io/tcp_echo's go server: a goroutine per connection, as a Go expert writes an echo server
// for a benchmark: net.Listen, Accept in a loop, `go echo(conn)`, and in each goroutine a
// Read into the connection's own 16 KiB buffer (params.hpp's kEchoBufferBytes, as every
// model) followed by a Write of exactly the bytes read. The goroutine blocks in Read and
// Write; Go's netpoller (epoll) parks it and runs the others meanwhile, so the code reads like
// a thread-per-connection server and runs like an event loop.
//
//	go --port PORT --threads=1|0     (corio-bench starts it: workloads/common/built_server.hpp)
//
// --threads=1 is the go row (GOMAXPROCS=1: one thread runs Go code, beside corio, asio,
// libuv); --threads=0 keeps Go's default of one per core (go_mt, beside corio_mt, asio_mt).
// Go sets TCP_NODELAY on every TCP connection by default, and since Go 1.19 a program that
// imports os raises its soft descriptor limit to the hard one, as the C++ servers do. It
// listens on 127.0.0.1:PORT until SIGTERM ends it.
//
// The flags, the listener and the accept loop are every Go server's (common/go/server).
package main

import (
	"net"

	"corio/workloads/common/go/server"
)

const echoBufferBytes = 16 * 1024

func main() { server.Run("io/tcp_echo", echo) }

// echo writes back every byte conn sends, as it arrives, until the client closes or resets.
func echo(conn net.Conn) {
	defer conn.Close()
	buffer := make([]byte, echoBufferBytes)
	for {
		n, err := conn.Read(buffer)
		if n > 0 {
			if _, werr := conn.Write(buffer[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
