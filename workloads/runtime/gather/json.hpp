#pragma once
// runtime/gather's Params and Result as JSON, for the models in other languages
// (harness/external_workload.hpp): {"children": K, "rounds": R} and
// {"completed": N, "sum": S}.

#include "workloads/runtime/gather/params.hpp"

#include <nlohmann/json.hpp>

namespace workloads::runtime::gather {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Params, children, rounds)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Result, completed, sum)

}  // namespace workloads::runtime::gather
