#pragma once
// runtime/spawn's Params and Result as JSON, for the models in other languages
// (harness/external_workload.hpp): {"tasks": N} and {"joined": N, "sum": S}.

#include "workloads/runtime/spawn/params.hpp"

#include <nlohmann/json.hpp>

namespace workloads::runtime::spawn {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Params, tasks)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Result, joined, sum)

}  // namespace workloads::runtime::spawn
