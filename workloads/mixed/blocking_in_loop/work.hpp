#pragma once
// What mixed/blocking_in_loop's servers share besides the HTTP parsing (requests.hpp): their
// parameters, and the expensive request's work.
//
//   Variant, WorkKind     where the work runs; what it is
//   ServerSettings        `--param variant=... work=... work_ms=...`, validated
//   expensive_work        the work itself: CPU (counting primes) or a blocking nanosleep

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/net/server_registry.hpp"

namespace workloads::mixed::blocking_in_loop {

enum class Variant : std::uint8_t { inline_on_loop, offload, pool };
enum class WorkKind : std::uint8_t { cpu, blocking };

struct ServerSettings {
  Variant variant = Variant::inline_on_loop;
  WorkKind work = WorkKind::cpu;
  std::chrono::milliseconds work_ms{5};

  // Reads the context's parameters; harness::BadInput for an unknown or impossible value,
  // such as a variant not in `variants` (asio and libuv have no `pool`).
  static ServerSettings from(const harness::ServerContext& context,
                             const std::vector<Variant>& variants);
};

// The parameter names register_server accepts.
std::vector<std::string> server_param_names();

// Does the expensive request's work on the calling thread and returns its result, which goes
// into the response body so that the computation cannot be optimised away.
//   cpu:      counts primes by trial division (3, 5, 7, ...) until `duration` of wall time
//             (steady_clock, read every few microseconds of work) has passed, and returns the
//             count. What the workload is about is how long the thread is taken, so the
//             budget is wall time: on a busy machine, where this thread shares its core, it
//             computes less rather than holding the loop longer (a CPU-time budget made the
//             inline loop saturate at a load average of 10 on 2 cores), and no start-up
//             calibration can be skewed by a busy moment.
//   blocking: nanosleep(duration), resumed after a signal; returns 0.
std::uint64_t expensive_work(WorkKind work, std::chrono::milliseconds duration);

}  // namespace workloads::mixed::blocking_in_loop
