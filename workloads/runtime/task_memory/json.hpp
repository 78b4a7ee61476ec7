#pragma once
// runtime/task_memory's Params and Result as JSON, for the models in other languages
// (harness/external_workload.hpp): {"tasks": N} and {"waiting_at_sample", "finished_at_sample",
// "finished", "rss_delta_bytes", "creation_ns", "error"}. The creation time travels as whole
// nanoseconds ("creation_ns"); "error" may be left out (no error).

#include <chrono>
#include <cstdint>
#include <string>

#include "workloads/runtime/task_memory/params.hpp"

#include <nlohmann/json.hpp>

namespace workloads::runtime::task_memory {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Params, tasks)

inline void to_json(nlohmann::json& json, const Result& result) {
  json = {{"waiting_at_sample", result.waiting_at_sample},
          {"finished_at_sample", result.finished_at_sample},
          {"finished", result.finished},
          {"rss_delta_bytes", result.rss_delta_bytes},
          {"creation_ns", result.creation.count()},
          {"error", result.error}};
}

inline void from_json(const nlohmann::json& json, Result& result) {
  json.at("waiting_at_sample").get_to(result.waiting_at_sample);
  json.at("finished_at_sample").get_to(result.finished_at_sample);
  json.at("finished").get_to(result.finished);
  json.at("rss_delta_bytes").get_to(result.rss_delta_bytes);
  result.creation = std::chrono::nanoseconds(json.at("creation_ns").get<std::int64_t>());
  result.error = json.value("error", std::string());
}

}  // namespace workloads::runtime::task_memory
