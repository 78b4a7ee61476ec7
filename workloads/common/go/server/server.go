// Package server is what every Go server model of the suite (io/tcp_echo, io/http_plaintext,
// mixed/blocking_in_loop) does around its connections: the command line corio-bench gives it
// (workloads/common/built_server.hpp), GOMAXPROCS as its row asks, a listener on
// 127.0.0.1:PORT and a goroutine per accepted connection. A server program is
//
//	func main() { server.Run("io/tcp_echo", echo) }    // echo: one connection's goroutine
//
// with its own flags, if any, defined (package flag) and checked before Run. It runs until
// SIGTERM ends it. Go sets TCP_NODELAY on every TCP connection by default, and since Go 1.19 a
// program that imports os raises its soft descriptor limit to the hard one, as the C++ servers
// do.
package server

import (
	"flag"
	"fmt"
	"net"
	"os"
	"runtime"
	"time"
)

var (
	port    = flag.Int("port", 0, "the loopback port to listen on")
	threads = flag.Int("threads", 1, "1: GOMAXPROCS=1; 0: one thread per core (Go's default)")
)

// Refuse says on stderr why the server named name (its workload) cannot start, and exits
// with status 2.
func Refuse(name, reason string) {
	fmt.Fprintln(os.Stderr, name+" go:", reason)
	os.Exit(2)
}

// Run parses the command line unless the program has, sets GOMAXPROCS to --threads (0 keeps
// Go's default, one per core), listens on 127.0.0.1:--port and runs serve(conn) in a goroutine
// per accepted connection, until the process is killed.
func Run(name string, serve func(conn net.Conn)) {
	if !flag.Parsed() {
		flag.Parse()
	}
	if *threads > 0 {
		runtime.GOMAXPROCS(*threads)
	}
	listener, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		Refuse(name, err.Error())
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
