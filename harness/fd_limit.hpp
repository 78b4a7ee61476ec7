#pragma once
// The open-descriptor limit (RLIMIT_NOFILE), raised in one place for every process of the suite
// that holds many sockets: the load generator, the fan-out clients, the servers.
//
//   harness::kSpareDescriptors        descriptors a process holds besides its connections
//   harness::raise_descriptor_limit   soft limit up to the hard one; returns the soft limit
//   harness::descriptor_shortfall     "" when C connections fit, else why not (for a message)
//
// A shell's `ulimit -n` is often 1,024: too few for 1,024 connections plus the process's own
// descriptors, while the hard limit (`ulimit -Hn`) is usually far higher. A child process
// (a server started by harness::ServerProcess) inherits the limit in force when it is forked.
// Cost: getrlimit, and setrlimit when the soft limit is below the hard one; nothing cached, so a
// limit lowered since (a test's setrlimit) is seen. Thread safety: any thread.

#include <cstdint>
#include <string>

namespace harness {

// stdio, epoll and eventfd descriptors, the harness's pipes, Google Benchmark's files and
// libraries' own, with room to spare.
inline constexpr std::int64_t kSpareDescriptors = 64;

// Raises the soft RLIMIT_NOFILE to the hard limit and returns the soft limit now in force
// (2^30 for "unlimited"; 1,024 when the limit cannot be read). Never throws.
std::int64_t raise_descriptor_limit() noexcept;

// Raises the limit (raise_descriptor_limit), then: "" when `connections` sockets plus
// kSpareDescriptors fit under it, else a sentence saying how many descriptors they need,
// what the hard limit is, and how to raise it ("64 connections need 128 descriptors and the
// hard limit (ulimit -Hn) is 100: raise it (ulimit -Hn, /etc/security/limits.conf) or use
// fewer connections").
std::string descriptor_shortfall(std::int64_t connections);

}  // namespace harness
