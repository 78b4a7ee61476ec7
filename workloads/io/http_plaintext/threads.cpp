// threads: the classic blocking server. The main thread blocks in accept(2); each connection
// gets its own std::thread that loops read -> answer -> send on a blocking socket until the
// client leaves. The kernel does all the waiting; a thread costs a stack (mostly untouched
// virtual memory) and a kernel task, and every request is a wake-up of its thread. An expert
// keeps it this simple: no pool, no event loop, detached threads that own their socket.
// When the OS refuses a thread (EAGAIN past ulimit -u or the memory map limit), that one
// connection is closed (the client counts an error) and the server goes on accepting.

#include <system_error>
#include <thread>
#include <unistd.h>

#include "workloads/io/http_plaintext/blocking_io.hpp"
#include "workloads/io/http_plaintext/servers.hpp"

namespace workloads::io::http_plaintext {

void serve_threads(harness::ServerContext& context) {
  context.ready();
  for (;;) {
    // Out of descriptors, accept_blocking waits for running connections to end and free some.
    const int fd = accept_blocking(context.listen_fd);
    try {
      std::thread([fd] {
        serve_blocking(fd);
        ::close(fd);
      }).detach();
    } catch (const std::system_error&) {
      ::close(fd);
    }
  }
}

}  // namespace workloads::io::http_plaintext
