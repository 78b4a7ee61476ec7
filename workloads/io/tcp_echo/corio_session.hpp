#pragma once
// The echo session of io/tcp_echo's corio models (corio.cpp: one loop; corio_mt.cpp: one per
// run_sharded shard): what an asyncio user writes, read what has arrived, write_all it back,
// until end of stream.
//
//   corio_echo::echo_session(stream)   one connection's task; a reset or broken pipe ends it
//
// Cost: the 16 KiB buffer lives in the coroutine frame: one allocation per connection (a frame
// this large comes from operator new, not from corio's pool of small frames).

#include <array>
#include <cstddef>
#include <span>
#include <system_error>

#include <corio/corio.hpp>

#include "workloads/io/tcp_echo/params.hpp"

namespace workloads::io::tcp_echo::corio_echo {

// Takes the stream by value: the spawned task owns it.
inline corio::Task<void> echo_session(corio::net::TcpStream stream) {
  std::array<char, kEchoBufferBytes> buffer;  // NOLINT(cppcoreguidelines-pro-type-member-init)
  try {
    for (;;) {
      const std::size_t received = co_await stream.read(buffer);
      if (received == 0) break;  // the client closed its side
      co_await stream.write_all(std::span<const char>(buffer.data(), received));
    }
  } catch (const std::system_error&) {
    stream.close();  // a reset or a broken pipe ends this connection only
  }
}

}  // namespace workloads::io::tcp_echo::corio_echo
