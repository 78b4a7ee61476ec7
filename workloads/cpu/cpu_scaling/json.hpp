#pragma once
// cpu/cpu_scaling's Params and Result as JSON, for the models in other languages
// (harness/external_workload.hpp):
//   Params: {"kernel": "fib", "workers": W, "work": {"units": U, "fib_n": n, "hash_rounds": R,
//            "mandel_width": X, "mandel_max_iterations": M}}
//   Result: {"checksum": S, "parts_done": P, "os_workers": O, "cpu_time_ns": T}, and "error"
//           when the model could not run a part.
// The context switches are left to the harness, which reads the child's own (and its reaped
// children's) for every external model, so has_context_switches stays false.

#include <chrono>
#include <cstdint>
#include <string>

#include "workloads/cpu/cpu_scaling/kernels.hpp"
#include "workloads/cpu/cpu_scaling/params.hpp"

#include <nlohmann/json.hpp>

namespace workloads::cpu::cpu_scaling {

namespace kernels {

NLOHMANN_JSON_SERIALIZE_ENUM(Kernel, {{Kernel::fib, "fib"},
                                      {Kernel::hash, "hash"},
                                      {Kernel::mandelbrot, "mandelbrot"}})

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Work, units, fib_n, hash_rounds, mandel_width,
                                   mandel_max_iterations)

}  // namespace kernels

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Params, kernel, workers, work)

inline void to_json(nlohmann::json& json, const Result& result) {
  json = {{"checksum", result.checksum},
          {"parts_done", result.parts_done},
          {"os_workers", result.os_workers},
          {"cpu_time_ns", result.cpu_time.count()}};
  if (!result.error.empty()) json["error"] = result.error;
}

inline void from_json(const nlohmann::json& json, Result& result) {
  json.at("checksum").get_to(result.checksum);
  json.at("parts_done").get_to(result.parts_done);
  json.at("os_workers").get_to(result.os_workers);
  result.cpu_time = std::chrono::nanoseconds(json.at("cpu_time_ns").get<std::int64_t>());
  result.error = json.value("error", std::string());
}

}  // namespace workloads::cpu::cpu_scaling
