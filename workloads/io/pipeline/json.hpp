#pragma once
// io/pipeline's Params and Result as JSON, for the models in other languages
// (harness/external_workload.hpp):
//   Params  {"consumers": K, "capacity": Q, "items": N, "work": "cpu" | "io"}
//   Result  {"consumed", "id_sum", "checksum" (uint64, wrapping sums), "queue_full_stalls",
//           "workers"} and optionally "pipe_capacity_records" (0) and "error" ("")

#include <cstdint>
#include <string>

#include "workloads/io/pipeline/params.hpp"

#include <nlohmann/json.hpp>

namespace workloads::io::pipeline {

inline void to_json(nlohmann::json& json, const Params& params) {
  json = {{"consumers", params.consumers},
          {"capacity", params.capacity},
          {"items", params.items},
          {"work", std::string(to_string(params.work))}};
}

inline void from_json(const nlohmann::json& json, Params& params) {
  params.consumers = json.at("consumers").get<std::int64_t>();
  params.capacity = json.at("capacity").get<std::int64_t>();
  params.items = json.at("items").get<std::int64_t>();
  params.work = json.at("work").get<std::string>() == "io" ? Work::io : Work::cpu;
}

inline void to_json(nlohmann::json& json, const Result& result) {
  json = {{"consumed", result.total.consumed},
          {"id_sum", result.total.id_sum},
          {"checksum", result.total.checksum},
          {"queue_full_stalls", result.queue_full_stalls},
          {"workers", result.workers},
          {"pipe_capacity_records", result.pipe_capacity_records},
          {"error", result.error}};
}

inline void from_json(const nlohmann::json& json, Result& result) {
  result.total.consumed = json.at("consumed").get<std::int64_t>();
  result.total.id_sum = json.at("id_sum").get<std::uint64_t>();
  result.total.checksum = json.at("checksum").get<std::uint64_t>();
  result.queue_full_stalls = json.at("queue_full_stalls").get<std::int64_t>();
  result.workers = json.at("workers").get<std::int64_t>();
  result.pipe_capacity_records = json.value("pipe_capacity_records", std::int64_t{0});
  result.error = json.value("error", std::string());
}

}  // namespace workloads::io::pipeline
