#pragma once
// The contract between a workload folder and the harness.
//
//   harness::Profile      quick (CI, minutes) or full (the real numbers)
//   harness::Counters     extra figures a run reports besides time
//   harness::register_model<W>(model, fn, profile)
//                         registers one model of workload W as Google Benchmark runs, one per
//                         parameter point, named "<W::name>/<model>/<W::label(point)>"; a
//                         workload folder calls it through harness::Registrar (registrar.hpp)
//
// A workload W is a struct in workloads/<group>/<workload>/params.hpp providing:
//
//   using Params = ...;                      // one parameter point
//   using Result = ...;                      // what a model returns, checked by check()
//   static constexpr std::string_view name;  // "runtime/spawn"
//   static std::vector<Params> points(Profile);
//   static std::string label(const Params&); // "tasks:100000" ("key:value" segments, '/'-joined)
//   static std::string check(const Params&, const Result&);  // "" when right, else what is wrong
//   static double items(const Params&);      // operations per run (items_per_second); 0 = none
//   static void counters(const Params&, const Result&, Counters&);  // extra counters
//
// and optionally (see workload_impl.hpp): `unit(const Params&)` for the display time unit
// (default milliseconds), `iterations(const Params&, Profile)` for a fixed call count per
// run instead of the profile's minimum time (quick 0.05 s, full 0.15 s), and `setup()` or
// `setup(const Params&)`, called untimed before each run's first call (start a helper process
// once, lazily: a run that is filtered out never pays for it; the second form when the helper
// depends on the point, e.g. a server's capacity), and `static constexpr bool warm_up = true`
// for one untimed call before each run's timed ones, checked like them: for a workload whose
// first call after setup() meets a cold helper (a server process that has not yet served a
// burst of connections) and is long enough that Google Benchmark may report that call alone.
//
// A model is a plain function `W::Result fn(const W::Params&)` in
// workloads/<group>/<workload>/<model>.cpp. It never prints, times or checks itself: the
// harness times each call (real time), runs W::check on every result and fails the run when
// the check fails or the model throws (corio-bench then exits 3). check() and counters() run
// with the timer paused, in batches: their cost is not timed, though it adds to wall time.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace harness {

enum class Profile { quick, full };

class Counters {
 public:
  // Each name is reported as its mean over the run's iterations (over the results that set
  // it); setting a name twice in one call keeps the last value.
  void set(std::string name, double value) { values_.emplace_back(std::move(name), value); }
  [[nodiscard]] const std::vector<std::pair<std::string, double>>& values() const {
    return values_;
  }

 private:
  std::vector<std::pair<std::string, double>> values_;
};

template <class W>
void register_model(std::string_view model, typename W::Result (*fn)(const typename W::Params&),
                    Profile profile);

}  // namespace harness

#include "workload_impl.hpp"  // IWYU pragma: export
