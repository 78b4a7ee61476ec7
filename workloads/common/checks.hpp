#pragma once
// The checks many workloads' check() make of a Result, each returning "" when right or what
// is wrong (harness/workload.hpp's contract), so that the same failure reads the same
// everywhere.
//
//   sum_below(n)                       0 + 1 + ... + (n - 1): what tasks numbered from 0 sum to
//   check_count(got, expected, what)   "99 of 100 tasks fired"
//   check_sum(got, expected)           "sum was X, expected Y"
//   check_id_sum(got, tasks, verb)     "ids of fired tasks summed to X, expected Y (a task
//                                      fired twice or never)"
//   first_error(checks...)             the first of several check results that is not ""

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace workloads::common {

// 0 + 1 + ... + (n - 1), the sum of the ids (or returned indices) of n tasks numbered from 0;
// 0 for n <= 0.
[[nodiscard]] constexpr std::int64_t sum_below(std::int64_t n) noexcept {
  return n <= 0 ? 0 : n * (n - 1) / 2;
}

// "" when got == expected, else "<got> of <expected> <what>": what = "tasks fired".
[[nodiscard]] inline std::string check_count(std::int64_t got, std::int64_t expected,
                                             std::string_view what) {
  if (got == expected) return "";
  return std::to_string(got) + " of " + std::to_string(expected) + " " + std::string(what);
}

// "" when got == expected, else "sum was <got>, expected <expected>".
[[nodiscard]] inline std::string check_sum(std::int64_t got, std::int64_t expected) {
  if (got == expected) return "";
  return "sum was " + std::to_string(got) + ", expected " + std::to_string(expected);
}

// With a count check before it, catches a task that finished twice while another never did:
// "" when the ids of `tasks` tasks numbered from 0 summed to sum_below(tasks), else "ids of
// <verb> tasks summed to X, expected Y (a task <verb> twice or never)"; verb = "fired".
[[nodiscard]] inline std::string check_id_sum(std::int64_t got, std::int64_t tasks,
                                              std::string_view verb) {
  const std::int64_t expected = sum_below(tasks);
  if (got == expected) return "";
  return "ids of " + std::string(verb) + " tasks summed to " + std::to_string(got) + ", expected " +
         std::to_string(expected) + " (a task " + std::string(verb) + " twice or never)";
}

// The first non-empty message among `checks` (each already evaluated), or "".
template <class... Checks>
[[nodiscard]] std::string first_error(Checks&&... checks) {
  std::string error;
  ((error.empty() ? void(error = std::forward<Checks>(checks)) : void()), ...);
  return error;
}

}  // namespace workloads::common
