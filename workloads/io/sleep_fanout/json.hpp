#pragma once
// io/sleep_fanout's Params and Result as JSON, for the models in other languages
// (harness/external_workload.hpp). Durations travel as integers in their unit's name:
//   Params  {"tasks": N, "delay_ms": D}
//   Result  {"completed", "completed_id_sum", "memory_bytes", "elapsed_ns"} and optionally
//           "queued_at_sample", "queued_closure_bytes" (-1 unless sent) and "error" ("")

#include <chrono>
#include <cstdint>
#include <string>

#include "workloads/io/sleep_fanout/params.hpp"

#include <nlohmann/json.hpp>

namespace workloads::io::sleep_fanout {

inline void to_json(nlohmann::json& json, const Params& params) {
  json = {{"tasks", params.tasks}, {"delay_ms", params.delay.count()}};
}

inline void from_json(const nlohmann::json& json, Params& params) {
  params.tasks = json.at("tasks").get<std::int64_t>();
  params.delay = std::chrono::milliseconds(json.at("delay_ms").get<std::int64_t>());
}

inline void to_json(nlohmann::json& json, const Result& result) {
  json = {{"completed", result.completed},
          {"completed_id_sum", result.completed_id_sum},
          {"memory_bytes", result.memory_bytes},
          {"queued_at_sample", result.queued_at_sample},
          {"queued_closure_bytes", result.queued_closure_bytes},
          {"elapsed_ns", result.elapsed.count()},
          {"error", result.error}};
}

inline void from_json(const nlohmann::json& json, Result& result) {
  result.completed = json.at("completed").get<std::int64_t>();
  result.completed_id_sum = json.at("completed_id_sum").get<std::int64_t>();
  result.memory_bytes = json.at("memory_bytes").get<std::int64_t>();
  result.queued_at_sample = json.value("queued_at_sample", std::int64_t{0});
  result.queued_closure_bytes = json.value("queued_closure_bytes", std::int64_t{-1});
  result.elapsed = std::chrono::nanoseconds(json.at("elapsed_ns").get<std::int64_t>());
  result.error = json.value("error", std::string());
}

}  // namespace workloads::io::sleep_fanout
