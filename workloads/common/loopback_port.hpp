#pragma once
// A free loopback port for a server model that binds its own socket (the Python, Go and tokio
// servers: python_server.cpp, built_server.cpp), where the C++ servers get the harness's
// listening socket instead.

#include <cstdint>

namespace workloads::common {

// A loopback port nobody listens on now: bound to 127.0.0.1:0, read back, closed. The program
// then binds it itself, as nginx does (a tiny race with another program binding port 0 in
// between remains). Throws std::system_error when no socket can be made or bound.
std::uint16_t free_loopback_port();

}  // namespace workloads::common
