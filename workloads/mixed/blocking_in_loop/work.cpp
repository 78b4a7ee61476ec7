// The expensive request's work and the servers' parameters (see work.hpp).
#include "workloads/mixed/blocking_in_loop/work.hpp"

#include <cerrno>
#include <ctime>
#include <string>

#include "harness/bad_input.hpp"

namespace workloads::mixed::blocking_in_loop {
namespace {

std::string_view variant_name(Variant variant) {
  switch (variant) {
    case Variant::inline_on_loop:
      return "inline";
    case Variant::offload:
      return "offload";
    case Variant::pool:
      return "pool";
  }
  return "?";
}

bool is_odd_prime(std::uint64_t n) {
  for (std::uint64_t divisor = 3; divisor * divisor <= n; divisor += 2) {
    if (n % divisor == 0) return false;
  }
  return true;
}

std::uint64_t count_primes_for(std::chrono::milliseconds duration) {
  // steady_clock is a vDSO read (about 20 ns); a candidate near 100,000 (where 5 ms of work
  // ends) takes about 2 us of divisions. Reading it every 4 candidates costs under 1% and ends
  // the work within 10 us of its budget.
  constexpr int kCandidatesPerClockRead = 4;
  const auto end = std::chrono::steady_clock::now() + duration;
  std::uint64_t primes = 1;  // 2
  std::uint64_t candidate = 3;
  do {
    for (int i = 0; i < kCandidatesPerClockRead; ++i, candidate += 2) {
      if (is_odd_prime(candidate)) ++primes;
    }
  } while (std::chrono::steady_clock::now() < end);
  return primes;
}

void sleep_for(std::chrono::milliseconds duration) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(duration);
  timespec left{.tv_sec = seconds.count(),
                .tv_nsec = std::chrono::nanoseconds(duration - seconds).count()};
  while (::nanosleep(&left, &left) != 0 && errno == EINTR) {
  }
}

}  // namespace

ServerSettings ServerSettings::from(const harness::ServerContext& context,
                                    const std::vector<Variant>& variants) {
  ServerSettings settings;
  const std::string variant = context.string_param("variant", "inline");
  std::string accepted;
  bool found = false;
  for (const Variant candidate : variants) {
    accepted += (accepted.empty() ? "" : ", ") + std::string(variant_name(candidate));
    if (variant == variant_name(candidate)) {
      settings.variant = candidate;
      found = true;
    }
  }
  if (!found) {
    throw harness::BadInput("corio-bench: serve: --param variant=" + variant + " is not one of " +
                            context.model + "'s variants (accepted: " + accepted + ")");
  }
  const std::string work = context.string_param("work", "cpu");
  if (work == "cpu") {
    settings.work = WorkKind::cpu;
  } else if (work == "blocking") {
    settings.work = WorkKind::blocking;
  } else {
    throw harness::BadInput("corio-bench: serve: --param work=" + work +
                            " is unknown (accepted: cpu, blocking)");
  }
  // Up to 10 s: longer would outlive the load generator's request timeout.
  settings.work_ms = std::chrono::milliseconds(context.int_param("work_ms", 5, 1, 10'000));
  return settings;
}

std::vector<std::string> server_param_names() { return {"variant", "work", "work_ms"}; }

std::uint64_t expensive_work(WorkKind work, std::chrono::milliseconds duration) {
  if (work == WorkKind::blocking) {
    sleep_for(duration);
    return 0;
  }
  return count_primes_for(duration);
}

}  // namespace workloads::mixed::blocking_in_loop
