#pragma once
// runtime/timers's Params and Result as JSON, for the models in other languages
// (harness/external_workload.hpp): {"tasks": N, "sleep_ms": D} and {"fired", "fired_id_sum",
// "asleep_at_sample", "awake_at_sample", "rss_delta_bytes", "lateness_ns": [N samples],
// "may_fire_early", "elapsed_ns", "error"}. Durations travel as whole milliseconds
// ("sleep_ms") or nanoseconds ("elapsed_ns"); "error" may be left out (no error).

#include <chrono>
#include <cstdint>
#include <string>

#include "workloads/runtime/timers/params.hpp"

#include <nlohmann/json.hpp>

namespace workloads::runtime::timers {

inline void to_json(nlohmann::json& json, const Params& params) {
  json = {{"tasks", params.tasks}, {"sleep_ms", params.sleep.count()}};
}

inline void from_json(const nlohmann::json& json, Params& params) {
  json.at("tasks").get_to(params.tasks);
  params.sleep = std::chrono::milliseconds(json.at("sleep_ms").get<std::int64_t>());
}

inline void to_json(nlohmann::json& json, const Result& result) {
  json = {{"fired", result.fired},
          {"fired_id_sum", result.fired_id_sum},
          {"asleep_at_sample", result.asleep_at_sample},
          {"awake_at_sample", result.awake_at_sample},
          {"rss_delta_bytes", result.rss_delta_bytes},
          {"lateness_ns", result.lateness_ns},
          {"may_fire_early", result.may_fire_early},
          {"elapsed_ns", result.elapsed.count()},
          {"error", result.error}};
}

inline void from_json(const nlohmann::json& json, Result& result) {
  json.at("fired").get_to(result.fired);
  json.at("fired_id_sum").get_to(result.fired_id_sum);
  json.at("asleep_at_sample").get_to(result.asleep_at_sample);
  json.at("awake_at_sample").get_to(result.awake_at_sample);
  json.at("rss_delta_bytes").get_to(result.rss_delta_bytes);
  json.at("lateness_ns").get_to(result.lateness_ns);
  json.at("may_fire_early").get_to(result.may_fire_early);
  result.elapsed = std::chrono::nanoseconds(json.at("elapsed_ns").get<std::int64_t>());
  result.error = json.value("error", std::string());
}

}  // namespace workloads::runtime::timers
