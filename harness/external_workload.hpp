#pragma once
// How harness::register_external_model<W> runs a model in another language (an
// ExternalModel, external_model.hpp) as Google Benchmark runs of workload W, with the same
// names, checks and counters as W's C++ models. A workload folder calls it through
// Registrar::external (registrar.hpp).
//
// W's Params and Result convert to and from JSON with nlohmann's to_json/from_json, found by
// argument-dependent lookup: the folder's json.hpp defines them next to the structs
// (NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE for plain ones).
//
// A run starts one child (untimed), calls it once per iteration with the point's parameters,
// and takes each iteration's time from the child's own measurement (Google Benchmark's manual
// time: the name ends in /manual_time instead of /real_time). Every result goes through
// W::check and W::counters; peak_rss_bytes, ctx_voluntary and ctx_involuntary are the child's
// (ExternalUsage), not corio-bench's. A child that fails (missing, a Python exception, a
// malformed reply, a wrong result) fails the run with its one-line message, and the other
// runs go on.

#include <string>
#include <string_view>

#include <benchmark/benchmark.h>

#include "harness/external_model.hpp"
#include "harness/workload.hpp"

#include <nlohmann/json.hpp>

namespace harness {
namespace detail {

// Converts a child's reply to W::Result and checks it; returns "" or why it failed. A failed
// check is said with `check_failed` in front ("check failed: " for a timed call).
template <Workload W>
std::string checked_result(const ExternalCommand& command, const ExternalModel::Reply& reply,
                           const typename W::Params& params, typename W::Result& result,
                           std::string_view check_failed) {
  try {
    result = reply.result.get<typename W::Result>();
  } catch (const nlohmann::json::exception& e) {
    return command.model + "'s result does not fit " + std::string(W::name) + ": " + e.what() +
           " (result: " + reply.result.dump().substr(0, 200) + ")";
  }
  if (std::string failure = W::check(params, result); !failure.empty()) {
    return std::string(check_failed) + failure;
  }
  return {};
}

template <Workload W>
void run_external_point(benchmark::State& state, const ExternalCommand& command,
                        const typename W::Params& params, double items) {
  std::string failure;
  CounterMeans means;
  ExternalUsage usage;
  try {
    // The same untimed preparation as a C++ model's run (run_point): a server to talk to.
    if constexpr (requires { W::setup(params); }) {
      W::setup(params);
    } else if constexpr (requires { W::setup(); }) {
      W::setup();
    }
    ExternalModel child = ExternalModel::start(command);
    const nlohmann::json request = params;
    // The untimed call a warm_up workload asks for (harness/workload.hpp), checked like the
    // others; the child's counters cover its whole life, this call included, as they cover
    // its start.
    if constexpr (wants_warm_up<W>()) {
      typename W::Result result;
      failure = checked_result<W>(command, child.call(request), params, result, kWarmUpCheckFailed);
    }
    for (auto _ : state) {
      if (!failure.empty()) break;  // the warm-up call failed: the run fails below
      ExternalModel::Reply reply = child.call(request);
      state.SetIterationTime(reply.seconds);
      typename W::Result result;
      if (failure = checked_result<W>(command, reply, params, result, "check failed: ");
          !failure.empty()) {
        break;
      }
      Counters counters;
      W::counters(params, result, counters);
      means.add(counters);
    }
    if (failure.empty()) usage = child.finish();
  } catch (const ExternalFailure& e) {
    failure = e.what();  // already one line that names the model and says what went wrong
  } catch (...) {
    failure = exception_message(std::current_exception());
  }
  if (!failure.empty()) {
    state.SkipWithError(failure.c_str());
    return;
  }
  const auto iterations = static_cast<double>(state.iterations());
  if (items > 0) state.SetItemsProcessed(static_cast<std::int64_t>(iterations * items));
  using benchmark::Counter;
  state.counters["ctx_voluntary"] =
      Counter(static_cast<double>(usage.voluntary_switches), Counter::kAvgIterations);
  state.counters["ctx_involuntary"] =
      Counter(static_cast<double>(usage.involuntary_switches), Counter::kAvgIterations);
  state.counters["peak_rss_bytes"] =
      Counter(static_cast<double>(usage.peak_rss_bytes), Counter::kDefaults, Counter::kIs1024);
  means.report(state);
}

}  // namespace detail

template <Workload W>
void register_external_model(const ExternalCommand& command, Profile profile) {
  for (const typename W::Params& params : W::points(profile)) {
    std::string name = std::string(W::name) + "/" + command.model;
    if (std::string label = W::label(params); !label.empty()) name += "/" + label;
    const double items = W::items(params);
    benchmark::internal::Benchmark* bench = benchmark::RegisterBenchmark(
        name.c_str(), [command, params, items](benchmark::State& state) {
          detail::run_external_point<W>(state, command, params, items);
        });
    bench->UseManualTime();
    detail::set_unit_and_length<W>(bench, params, profile);
  }
}

}  // namespace harness
