#pragma once
// The processes model's fork server: a `corio-bench serve io/sleep_fanout --model processes`
// child that forks the per-task processes on the benchmark's behalf (Python's multiprocessing
// "forkserver" start method). Forking from it instead of from the benchmark process keeps
// fork() cheap and the numbers independent of what ran before: fork copies the parent's page
// tables, and the benchmark process holds whatever earlier models left resident (corio's
// frame pool keeps its chunks: after runtime/timers' 1,000,000 tasks, one fork took 5 ms of
// CPU and 1,000 ten-millisecond tasks 32 s instead of 0.27 s). The server is also
// single-threaded, so its children may safely run anything after fork.
//
//   ForkRequest        benchmark -> server: run N tasks of D
//   ForkReply          server -> benchmark: what the children reported, or why it failed
//   serve_fork_server  the server function (harness::ServerFn), registered in register.cpp
//
// Both ends are the same binary, so the messages are plain structs over one loopback TCP
// connection, one request and one reply at a time.

#include <cstdint>

#include "harness/net/server_registry.hpp"

namespace workloads::io::sleep_fanout {

struct ForkRequest {
  std::int64_t tasks = 0;
  std::int64_t delay_ns = 0;
};

struct ForkReply {
  std::int64_t completed = 0;         // reports received, one per child that finished its wait
  std::int64_t completed_id_sum = 0;  // sum of their task ids
  // Memory: the server's own RSS growth while it forked the children, and the private
  // memory (private resident pages + page tables) the first few children measured of
  // themselves, summed over the `sampled` ones.
  std::int64_t server_growth_bytes = 0;
  std::int64_t sampled = 0;
  std::int64_t sampled_bytes = 0;
  char error[240] = {};  // empty, or what went wrong (a refused fork, a crashed child)
};

void serve_fork_server(harness::ServerContext& context);

}  // namespace workloads::io::sleep_fanout
