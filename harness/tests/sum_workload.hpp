#pragma once
// The harness tests' workload: the sum of 1..n, which its check knows in closed form, so a
// model can be right, wrong or failing on purpose (register_model_test.cpp,
// external_model_test.cpp). Each test derives its own workload from it, with its own name,
// points and, where it needs them, counters or a fixed iteration count.
//
//   harness::testing::SumWorkload   Params {n}, Result {sum}, label "n:N", check, items = n,
//                                   no counters; Params and Result convert to and from JSON
//                                   (the external models' protocol)

#include <string>
#include <string_view>

#include "harness/workload.hpp"

#include <nlohmann/json.hpp>

namespace harness::testing {

struct SumWorkload {
  struct Params {
    long long n;
  };
  struct Result {
    long long sum;
  };
  static std::string label(const Params& p) { return "n:" + std::to_string(p.n); }
  static std::string check(const Params& p, const Result& r) {
    const long long expected = p.n * (p.n + 1) / 2;
    if (r.sum == expected) return "";
    return "sum " + std::to_string(r.sum) + ", expected " + std::to_string(expected);
  }
  static double items(const Params& p) { return static_cast<double>(p.n); }
  static void counters(const Params&, const Result&, Counters&) {}
};

// nlohmann's macro defines inline to_json and from_json: a test that uses each one way only
// gets no unused-function warning, as it would for functions in an anonymous namespace.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SumWorkload::Params, n)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SumWorkload::Result, sum)

}  // namespace harness::testing
