#pragma once
// How harness::register_model<W> turns a workload's models into Google Benchmark runs.
// Included by harness/workload.hpp; read that file for the contract.
//
//   harness::Workload<W>     the concept a workload struct satisfies
//   harness::register_model  (defined here) one benchmark per parameter point of W
//
// Optional members a workload may add to W (detected, not required):
//
//   static benchmark::TimeUnit unit(const Params&);  // display unit; default milliseconds
//   static int iterations(const Params&, Profile);   // > 0: exactly that many calls per run
//                                                    // (for runs too long to repeat);
//                                                    // otherwise the profile's minimum time
//
// Counters every run reports besides W::counters (per iteration, for the final, reported
// attempt of the run): ctx_voluntary, ctx_involuntary, peak_rss_bytes. A workload counter of
// the same name replaces the harness's.

#include <concepts>
#include <cstdint>
#include <exception>
#include <malloc.h>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "harness/rusage.hpp"

namespace harness {

template <class W>
concept Workload = requires(const typename W::Params& p, const typename W::Result& r, Counters& c,
                            Profile profile) {
  { W::name } -> std::convertible_to<std::string_view>;
  { W::points(profile) } -> std::convertible_to<std::vector<typename W::Params>>;
  { W::label(p) } -> std::convertible_to<std::string>;
  { W::check(p, r) } -> std::convertible_to<std::string>;
  { W::items(p) } -> std::convertible_to<double>;
  W::counters(p, r, c);
};

namespace detail {

// Minimum real time Google Benchmark keeps repeating a model for, per run. quick keeps CI in
// minutes; full gives a run of a millisecond-scale model a hundred iterations or more, in
// each of its three repetitions (cli.hpp's default_repetitions).
constexpr double min_time_seconds(Profile profile) {
  return profile == Profile::quick ? 0.05 : 0.15;
}

// Results are checked in batches with the timer paused: one Pause/Resume pair per batch
// instead of per call (each pair costs two clock_gettime(CLOCK_THREAD_CPUTIME_ID) system
// calls), while at most this many results are held at once.
inline constexpr std::size_t check_batch = 32;

// Sums each counter over the checked results, so that the run reports their mean. Called
// once per result, untimed but on the wall clock, so it stays allocation-free after the first
// result: workloads set a handful of counters, which linear search handles best.
class CounterMeans {
 public:
  void add(const Counters& counters) {
    const auto& values = counters.values();
    for (std::size_t i = 0; i < values.size(); ++i) {
      const auto& [name, value] = values[i];
      // Within one call the last value of a name wins, as Counters documents.
      bool set_again = false;
      for (std::size_t j = i + 1; j < values.size() && !set_again; ++j) {
        set_again = values[j].first == name;
      }
      if (set_again) continue;
      Sum& sum = find_or_add(name);
      sum.total += value;
      ++sum.count;
    }
  }
  void report(benchmark::State& state) const {
    for (const Sum& sum : sums_) {
      state.counters[sum.name] = benchmark::Counter(sum.total / static_cast<double>(sum.count));
    }
  }

 private:
  struct Sum {
    std::string name;
    double total = 0;
    std::int64_t count = 0;
  };
  Sum& find_or_add(const std::string& name) {
    for (Sum& sum : sums_) {
      if (sum.name == name) return sum;
    }
    return sums_.emplace_back(Sum{name});
  }
  std::vector<Sum> sums_;
};

inline std::string exception_message(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return std::string("exception: ") + e.what();
  } catch (...) {
    return "exception: (not derived from std::exception)";
  }
}

// Checks every result of `batch` (and takes its counters); returns "" or the first failure.
// Never throws: a throwing check or counters() becomes the failure message.
template <Workload W>
std::string check_all(const typename W::Params& params, std::vector<typename W::Result>& batch,
                      CounterMeans& means) {
  std::string failure;
  try {
    for (const auto& result : batch) {
      if (failure = W::check(params, result); !failure.empty()) {
        failure = "check failed: " + failure;
        break;
      }
      Counters counters;
      W::counters(params, result, counters);
      means.add(counters);
    }
  } catch (...) {
    failure = exception_message(std::current_exception());
  }
  batch.clear();  // results are destroyed here too, with the timer paused
  return failure;
}

// Gives malloc's free heap back to the kernel before the first batch of the benchmark whose
// parameters live at `point` (each registered benchmark owns its copy), so that what an earlier
// benchmark of this process left resident (a 1 GB Asio run) neither shows in this one's peak
// RSS nor lends it pages. Not before later batches of the same benchmark (Google Benchmark's
// estimation batches, then the reported one): they keep the heap the earlier ones grew, as a
// program repeating the work would. Trimming before every batch made the reported batch's
// first call fault its whole heap back in, a cost then spread over however many calls the
// batch held: io/sleep_fanout corio at 100,000 tasks took 16.0 ms per call with it and 12.8
// without (3 alternated in-process runs each), and the Python, Go and tokio models, which time
// their own loops in a child process, never paid it.
inline void trim_heap_before_first_batch(const void* point) noexcept {
  static const void* last_point = nullptr;  // benchmarks run one at a time, on one thread
  if (point == last_point) return;
  last_point = point;
  ::malloc_trim(0);
}

// What a failed check of the untimed warm-up call is said with, in both run paths.
inline constexpr std::string_view kWarmUpCheckFailed = "check failed in the untimed warm-up call: ";

// Whether W asks for an untimed call before each run's timed ones (harness/workload.hpp).
template <class W>
constexpr bool wants_warm_up() {
  if constexpr (requires { W::warm_up; }) {
    return W::warm_up;
  } else {
    return false;
  }
}

// The untimed call a warm_up workload makes before each run's timed ones: checked like any
// other (a wrong result fails the run), its counters not kept. Returns "" or the failure.
template <Workload W>
std::string warm_up_call(typename W::Result (*fn)(const typename W::Params&),
                         const typename W::Params& params) {
  try {
    const typename W::Result result = fn(params);
    if (std::string failure = W::check(params, result); !failure.empty()) {
      return std::string(kWarmUpCheckFailed) + failure;
    }
  } catch (...) {
    return "untimed warm-up call: " + exception_message(std::current_exception());
  }
  return {};
}

// One run of one parameter point. `items` is W::items(params), taken at registration.
template <Workload W>
void run_point(benchmark::State& state, typename W::Result (*fn)(const typename W::Params&),
               const typename W::Params& params, double items) {
  std::vector<typename W::Result> batch;
  batch.reserve(check_batch);
  CounterMeans means;
  std::string failure;

  // Each call of this function is one attempt; Google Benchmark reports the last one, so these
  // figures describe exactly the reported iterations (plus a few microseconds of set-up).
  // When the kernel refuses the reset, peak_rss_bytes covers the whole process so far; main
  // records which of the two the JSON holds (context corio_peak_rss_scope).
  // Untimed preparation a workload asks for (a helper process to start), before the figures'
  // baselines are taken.
  if constexpr (requires { W::setup(params); }) {
    W::setup(params);
  } else if constexpr (requires { W::setup(); }) {
    W::setup();
  }
  trim_heap_before_first_batch(&params);
  if constexpr (wants_warm_up<W>()) {
    if (std::string failed = warm_up_call<W>(fn, params); !failed.empty()) {
      state.SkipWithError(failed.c_str());  // before the loop: Google Benchmark skips it
      return;
    }
  }
  reset_peak_rss();
  const ContextSwitches before = context_switches();

  for (auto _ : state) {
    try {
      batch.push_back(fn(params));
    } catch (...) {
      failure = exception_message(std::current_exception());
      break;
    }
    if (batch.size() == check_batch) {
      state.PauseTiming();
      failure = check_all<W>(params, batch, means);
      if (!failure.empty()) break;
      state.ResumeTiming();
    }
  }
  // The loop has stopped the timer (or we broke out of it): the rest is untimed.
  const ContextSwitches after = context_switches();
  if (failure.empty()) failure = check_all<W>(params, batch, means);
  if (!failure.empty()) {
    state.SkipWithError(failure.c_str());
    return;
  }

  const auto iterations = static_cast<double>(state.iterations());
  if (items > 0) {
    state.SetItemsProcessed(static_cast<std::int64_t>(iterations * items));
  }
  using benchmark::Counter;
  state.counters["ctx_voluntary"] =
      Counter(static_cast<double>(after.voluntary - before.voluntary), Counter::kAvgIterations);
  state.counters["ctx_involuntary"] =
      Counter(static_cast<double>(after.involuntary - before.involuntary), Counter::kAvgIterations);
  state.counters["peak_rss_bytes"] =
      Counter(static_cast<double>(peak_rss_bytes()), Counter::kDefaults, Counter::kIs1024);
  means.report(state);
}

// The display unit (W::unit, default milliseconds) and how long a run lasts (W::iterations
// calls, else the profile's minimum time) of one registered point.
template <Workload W>
void set_unit_and_length(benchmark::internal::Benchmark* bench, const typename W::Params& params,
                         Profile profile) {
  benchmark::TimeUnit unit = benchmark::kMillisecond;
  if constexpr (requires {
                  { W::unit(params) } -> std::convertible_to<benchmark::TimeUnit>;
                }) {
    unit = W::unit(params);
  }
  bench->Unit(unit);

  int iterations = 0;
  if constexpr (requires {
                  { W::iterations(params, profile) } -> std::convertible_to<int>;
                }) {
    iterations = W::iterations(params, profile);
  }
  if (iterations > 0) {
    bench->Iterations(iterations);
  } else {
    bench->MinTime(min_time_seconds(profile));
  }
}

}  // namespace detail

template <class W>
void register_model(std::string_view model, typename W::Result (*fn)(const typename W::Params&),
                    Profile profile) {
  static_assert(Workload<W>, "W does not provide what harness/workload.hpp asks of a workload");
  for (const typename W::Params& params : W::points(profile)) {
    std::string name = std::string(W::name) + "/" + std::string(model);
    if (std::string label = W::label(params); !label.empty()) name += "/" + label;

    const double items = W::items(params);
    benchmark::internal::Benchmark* bench =
        benchmark::RegisterBenchmark(name.c_str(), [fn, params, items](benchmark::State& state) {
          detail::run_point<W>(state, fn, params, items);
        });
    bench->UseRealTime();
    detail::set_unit_and_length<W>(bench, params, profile);
  }
}

}  // namespace harness
